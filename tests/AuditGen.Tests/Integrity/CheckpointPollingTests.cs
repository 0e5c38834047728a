using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Tests.Integrity;

/// <summary>
/// How often the hosted checkpointer reads the log: once per poll when it is caught up (not once more per append that
/// lands meanwhile), and batch after batch without waiting while a backlog is left.
/// </summary>
public sealed class CheckpointPollingTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "auditgen-polling-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly CountingLog _log;

    public CheckpointPollingTests() => _log = new CountingLog(new InMemoryActivityLogRepo(_clock));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private ActivityCheckpointer Checkpointer() => new(_log, new ActivityCheckpointOptions
    {
        Sink = new FileActivityCheckpointSink(_directory),
        Key = ActivityCheckpointKey.Create("key-1", Start.AddDays(-1), Start.AddDays(1)),
        EveryRecords = 1_000_000,
        Interval = TimeSpan.FromHours(1),
        PollInterval = TimeSpan.FromMinutes(1),
    }, clock: _clock);

    private async Task AppendAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")));
        }
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out");
    }

    [Fact]
    public async Task A_caught_up_checkpointer_reads_once_per_poll_not_again_at_once()
    {
        await AppendAsync(5);
        ActivityCheckpointer checkpointer = Checkpointer();
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            await UntilAsync(() => checkpointer.Pending == 5);
            await Task.Delay(200); // time for a read that should not come: the clock has not moved
            Assert.Equal(1, _log.LeafReads);

            await AppendAsync(3);
            await Task.Delay(200);
            Assert.Equal(5, checkpointer.Pending); // read at the next poll, not as they land

            _clock.Advance(TimeSpan.FromMinutes(1));
            await UntilAsync(() => checkpointer.Pending == 8);
            Assert.Equal(2, _log.LeafReads);
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        Assert.Equal(8, checkpointer.Latest?.TreeSize); // stopping covers what was read
    }

    [Fact]
    public async Task A_backlog_is_read_batch_after_batch_without_waiting_for_the_poll()
    {
        await AppendAsync((2 * ActivityCheckpointer.ReadBatch) + 500);
        ActivityCheckpointer checkpointer = Checkpointer();
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            await UntilAsync(() => checkpointer.Pending == (2 * ActivityCheckpointer.ReadBatch) + 500); // the clock never moves
            await Task.Delay(200);
            Assert.Equal(3, _log.LeafReads); // two full batches, then the rest: caught up, so it waits
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The in-memory store, counting the checkpointer's reads of leaves.</summary>
    private sealed class CountingLog(InMemoryActivityLogRepo inner) : IActivityLogRepo, IActivityLogOutbox
    {
        private int _leafReads;

        public int LeafReads => Volatile.Read(ref _leafReads);

        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) => inner.AppendAsync(record, cancellationToken);

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default) =>
            inner.ReadAfterAsync(sequence, limit, cancellationToken);

        public ValueTask<IReadOnlyList<ActivityLeaf>> ReadLeavesAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _leafReads);
            return ((IActivityLogOutbox)inner).ReadLeavesAfterAsync(sequence, limit, cancellationToken);
        }

        public ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default) => inner.LastSequenceAsync(cancellationToken);

        public ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
            inner.TryLeaseAsync(relay, holder, duration, cancellationToken);

        public ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default) =>
            inner.CheckpointAsync(relay, holder, sequence, duration, cancellationToken);
    }
}
