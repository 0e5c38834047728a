namespace AuditGen.Storage;

/// <summary>
/// A data subject's key as a store keeps it: wrapped (encrypted) by the application's key-encryption key, never in clear.
/// For store implementations; <see cref="ActivitySubjectKeys"/> makes, wraps and opens them.
/// </summary>
/// <param name="KeyId">The key's id, named by every value it sealed.</param>
/// <param name="SubjectId">Whose key it is; a subject has at most one key at a time.</param>
/// <param name="KekId">The id of the key-encryption key that wrapped it.</param>
/// <param name="WrappedKey">The wrapped key bytes.</param>
/// <param name="CreatedAt">When it was made.</param>
public sealed record ActivitySubjectKey(Guid KeyId, Guid SubjectId, string KekId, ReadOnlyMemory<byte> WrappedKey, DateTimeOffset CreatedAt)
{
    /// <summary>How many values stores recorded as sealed under this key (counted in the transaction of each append).</summary>
    public long SealedValues { get; init; }

    /// <summary>
    /// Whether the store wrote the key inside a transaction it does not commit itself (the application's, with the EF Core
    /// store on SQLite): the key exists only if that transaction commits, so <see cref="ActivitySubjectKeys"/> does not
    /// cache it — a rolled-back key must never seal another value.
    /// </summary>
    public bool Uncommitted { get; init; }
}
