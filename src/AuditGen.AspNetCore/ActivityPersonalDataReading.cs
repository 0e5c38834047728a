using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore;

/// <summary>
/// Where the API opens sealed personal values for people: every list, export and subject export passes its page through
/// here, which calls the log's key custody (<see cref="ActivitySubjectKeys.UnsealAsync(IReadOnlyList{ActivityRecord}, CancellationToken)"/>,
/// the one place that decrypts) — clear values while the subject's key exists, <c>{"erased": true}</c> after erasure.
/// </summary>
internal static class ActivityPersonalDataReading
{
    public static async ValueTask<IReadOnlyList<ActivityRecord>> UnsealAsync(IReadOnlyList<ActivityRecord> records, IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetService<ActivitySubjectKeys>() is { } keys && records.Count > 0
            ? await keys.UnsealAsync(records, cancellationToken).ConfigureAwait(false)
            : records;
}
