using AuditGen.Integrity;
using AuditGen.Storage;

namespace AuditGen;

/// <summary>
/// Retention with legal holds: purges what <see cref="ActivityRetentionOptions.Policy"/> no longer keeps, never a record a
/// hold covers, and records every purge and every hold in the log itself. On a tamper-evident log (with an
/// <see cref="ActivityCheckpointer"/>) a purge first writes a checkpoint covering every stored record — the retention
/// boundary — removes only records under it, and signs its record with the checkpoint key, so
/// <see cref="ActivityLogVerifier"/> tells the sanctioned removal from a deletion and the log still verifies.
/// </summary>
/// <remarks>
/// The records retention writes are appended by the store inside the transaction of the change they describe; they reach
/// after-append hooks and the event bus through durable delivery (the relay reads them like any record), not in-process.
/// </remarks>
public sealed class ActivityLogRetention
{
    private readonly IActivityLogRetention _store;
    private readonly ActivityCheckpointer? _checkpointer;
    private readonly TimeProvider _clock;

    /// <summary>Creates the retention of <paramref name="log"/> (a store, or the pipeline over one, that implements <see cref="IActivityLogRetention"/>).</summary>
    /// <param name="log">The log.</param>
    /// <param name="options">The policy and batch size.</param>
    /// <param name="checkpointer">The log's checkpointer when it is tamper-evident: purges then sign their records and stay at or below a checkpoint.</param>
    /// <param name="clock">The time purges count back from; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The store cannot purge (the in-memory and EF Core stores), or the options are invalid.</exception>
    public ActivityLogRetention(IActivityLogRepo log, ActivityRetentionOptions options, ActivityCheckpointer? checkpointer = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        IActivityLogRepo store = (log as ActivityLog)?.Store ?? log;
        _store = store as IActivityLogRetention ?? throw new ArgumentException(
            $"The activity log's store {store.GetType().Name} cannot purge or hold records (IActivityLogRetention): retention needs the SQLite or PostgreSQL store.", nameof(log));
        Options = options;
        _checkpointer = checkpointer;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The policy, batch size and schedule.</summary>
    public ActivityRetentionOptions Options { get; }

    /// <summary>
    /// Removes every record the policy no longer keeps and no hold covers, in purges of at most
    /// <see cref="ActivityRetentionOptions.MaxRecordsPerPurge"/> records (whole partitions on PostgreSQL), each recorded with
    /// its counts and boundary. Running it again removes nothing more and records nothing.
    /// </summary>
    /// <param name="actorId">Who runs it (recorded as the purge's actor and owner).</param>
    /// <param name="cancellationToken">Cancels between purges, or a purge before it commits.</param>
    /// <returns>What went.</returns>
    /// <exception cref="InvalidOperationException">The log is tamper-evident and another process's checkpointer holds the checkpoint lease: purge there.</exception>
    public async Task<ActivityPurgeResult> PurgeAsync(Guid actorId, CancellationToken cancellationToken = default)
    {
        ActivityValidation.RequiredId(actorId, nameof(actorId), "ActorId");
        long through = long.MaxValue;
        ActivityCheckpointKey? key = null;
        if (_checkpointer is not null)
        {
            through = await _checkpointer.CoverAllAsync(cancellationToken).ConfigureAwait(false); // the checkpoint at the retention boundary
            key = _checkpointer.SigningKey;
        }

        ActivityPurgeWindow window = Options.Policy.WindowAt(_clock.GetUtcNow(), through);
        long purged = 0;
        var partitions = new List<string>();
        var records = new List<ActivityRecord>();
        while (await _store.PurgeAsync(window, Options.MaxRecordsPerPurge,
            summary => ActivityRetentionRecords.Purge(actorId, summary, _clock.GetUtcNow(), key), cancellationToken).ConfigureAwait(false) is { } done)
        {
            purged += done.Summary.RecordsPurged;
            partitions.AddRange(done.Summary.PartitionsDropped);
            records.Add(done.Record);
        }

        if (_checkpointer is not null && records.Count > 0)
        {
            await _checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false); // the purge records under a signed root too
        }

        return new ActivityPurgeResult(purged, partitions, records);
    }

    /// <summary>Places a legal hold, recorded as <see cref="ActivityRetentionRecords.HoldPlacedAction"/> in the same transaction.</summary>
    /// <param name="hold">The hold.</param>
    /// <param name="actorId">Who places it.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>The hold as stored.</returns>
    /// <exception cref="ArgumentException">A hold of that name is in place.</exception>
    public async Task<ActivityLegalHold> PlaceHoldAsync(ActivityLegalHold hold, Guid actorId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hold);
        DateTimeOffset now = _clock.GetUtcNow();
        return (await _store.PlaceHoldAsync(hold.PlacedOn(now), ActivityRetentionRecords.HoldPlaced(actorId, hold, now), cancellationToken).ConfigureAwait(false)).Hold;
    }

    /// <summary>Releases a legal hold, recorded as <see cref="ActivityRetentionRecords.HoldReleasedAction"/> in the same transaction.</summary>
    /// <param name="name">The hold's name.</param>
    /// <param name="actorId">Who releases it.</param>
    /// <param name="reason">Why, or null.</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>Whether a hold of that name was in place.</returns>
    public async Task<bool> ReleaseHoldAsync(string name, Guid actorId, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return await _store.ReleaseHoldAsync(name, ActivityRetentionRecords.HoldReleased(actorId, name, reason, _clock.GetUtcNow()), cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The holds in place.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The holds, by name.</returns>
    public async Task<IReadOnlyList<ActivityLegalHold>> ListHoldsAsync(CancellationToken cancellationToken = default) =>
        await _store.ListHoldsAsync(cancellationToken).ConfigureAwait(false);
}
