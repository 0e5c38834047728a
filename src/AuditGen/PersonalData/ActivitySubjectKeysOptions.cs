namespace AuditGen;

/// <summary>How long and how many subject keys <see cref="ActivitySubjectKeys"/> keeps in memory.</summary>
public sealed class ActivitySubjectKeysOptions
{
    /// <summary>How long an unwrapped key stays cached (default 1 minute); also how long another process may keep sealing under a key erased here.</summary>
    public TimeSpan CacheDuration { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The most keys cached at once (default 10,000); beyond it the cache starts over.</summary>
    public int CacheSize { get; init; } = 10_000;
}
