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

    /// <summary>Opens each streamed record's sealed values (a page of keys cached by <paramref name="keys"/>), for a state rebuilt from them.</summary>
    public static async IAsyncEnumerable<ActivityRecord> UnsealEachAsync(IAsyncEnumerable<ActivityRecord> records, ActivitySubjectKeys keys,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (ActivityRecord record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            yield return await keys.UnsealAsync(record, cancellationToken).ConfigureAwait(false);
        }
    }
}
