using Microsoft.Extensions.Logging;

namespace AuditGen.Integrity;

/// <summary>The signing key's window: the health check's view of it, the start-up warning, and the error on a refused checkpoint.</summary>
public sealed partial class ActivityCheckpointer
{
    /// <summary>
    /// Why no checkpoint can be signed now — the signing key's window does not hold the clock's time — or null. The health
    /// check reports it at once, whether or not records wait yet.
    /// </summary>
    internal string? KeyProblem()
    {
        ActivityCheckpointKey key = _options.Key!;
        DateTimeOffset now = _clock.GetUtcNow();
        return key.IsValidAt(now)
            ? null
            : $"the signing key '{key.Id}' is valid from {Format(key.NotBefore)} to {Format(key.NotAfter)}, not now ({Format(now)}): configure a current key";
    }

    /// <summary>
    /// At start-up: an error when the key cannot sign now, a warning when its window ends within
    /// <see cref="ActivityCheckpointOptions.KeyExpiryWarning"/>.
    /// </summary>
    private void WarnAboutKey()
    {
        ActivityCheckpointKey key = _options.Key!;
        DateTimeOffset now = _clock.GetUtcNow();
        if (KeyRefuses(now))
        {
            return;
        }

        TimeSpan left = key.NotAfter - now;
        if (key.NotAfter != DateTimeOffset.MaxValue && left <= _options.KeyExpiryWarning)
        {
            LogKeyExpiresSoon(_logger, key.Id, Format(key.NotAfter), Math.Round(left.TotalDays, 1));
        }
    }

    /// <summary>
    /// Whether the key refuses to sign at <paramref name="now"/> (outside its window). The first refusal is logged as an
    /// error naming the key and its window; the next is logged again only after a checkpoint was signed in between.
    /// </summary>
    private bool KeyRefuses(DateTimeOffset now)
    {
        ActivityCheckpointKey key = _options.Key!;
        if (key.IsValidAt(now))
        {
            Volatile.Write(ref _keyRefused, 0);
            return false;
        }

        if (Interlocked.Exchange(ref _keyRefused, 1) == 0)
        {
            LogKeyNotValid(_logger, key.Id, Format(key.NotBefore), Format(key.NotAfter), Format(now), Pending);
        }

        return true;
    }

    private static string Format(DateTimeOffset at) => at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "Checkpoint key '{KeyId}' is valid from {NotBefore} to {NotAfter}, not at {Now}: no checkpoint is signed until a current key is configured (UseTamperEvidence's Key), and {Pending} records wait uncovered.")]
    private static partial void LogKeyNotValid(ILogger logger, string keyId, string notBefore, string notAfter, string now, int pending);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Checkpoint key '{KeyId}' is valid until {NotAfter}, {DaysLeft} days from now: configure the next key before then, or checkpoints stop.")]
    private static partial void LogKeyExpiresSoon(ILogger logger, string keyId, string notAfter, double daysLeft);
}
