using System.Globalization;
using AuditGen;
using AuditGen.Integrity;
using AuditGen.Sqlite;

// Usage: AuditGen.Sqlite.CrashWriter <database file> <batch size> [<writers>]
//   Appends records forever (one at a time, or in batches; from one writer or several at once) and writes
//   "ack <record id>" for each once its append returned.
// Usage: AuditGen.Sqlite.CrashWriter relay <database file> <relay name> <lease ms> <delay ms per event>
//   Runs the durable relay over the file: writes "delivered <record id>" for each event the bus took, and
//   "idle" whenever a pass found nothing to deliver (or another relay holds the lease), until it is killed.
// Usage: AuditGen.Sqlite.CrashWriter checkpoint <database file> <key file> <every records>
//   Appends records forever while the checkpointer runs beside it (checkpoints in <database file>.checkpoints): writes
//   "ack <sequence>" for each appended record and "checkpoint <tree size>" for each checkpoint written.
// Usage: AuditGen.Sqlite.CrashWriter purge <database file> <max records per purge>
//   Runs retention (keep 12 months) in purges of at most that many records, writing "purged <n>" after each run,
//   until it is killed.
if (args is ["relay", string database, string name, string leaseMs, string delayMs])
{
    await RelayAsync(database, name, TimeSpan.FromMilliseconds(int.Parse(leaseMs, CultureInfo.InvariantCulture)),
        TimeSpan.FromMilliseconds(int.Parse(delayMs, CultureInfo.InvariantCulture)));
    return;
}

if (args is ["purge", string purged, string maxRecords])
{
    await PurgeAsync(purged, int.Parse(maxRecords, CultureInfo.InvariantCulture));
    return;
}

if (args is ["checkpoint", string checkpointed, string keyFile, string every])
{
    await CheckpointAsync(checkpointed, keyFile, int.Parse(every, CultureInfo.InvariantCulture));
    return;
}

string path = args[0];
int batchSize = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1;
int writers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1;
var actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
using var log = new SqliteActivityLogRepo($"Data Source={path}");
using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var outputLock = new SemaphoreSlim(1, 1);
await output.WriteLineAsync("ready");
long next = 0;
await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
{
    while (true)
    {
        long n = Interlocked.Add(ref next, batchSize) - batchSize;
        ActivityRecord[] batch = [.. Enumerable.Range(0, batchSize).Select(i => ActivityRecord.Create(actor, actor, "crash_test",
            new EntityRef("Task", $"task-{(n + i) % 100}"), new Dictionary<string, object?> { ["n"] = n + i, ["payload"] = new string('x', 200) }))];
        IReadOnlyList<ActivityRecord> stored = batchSize == 1 ? [(await log.AppendAsync(batch[0])).Record!] : await log.AppendManyAsync(batch);
        await outputLock.WaitAsync();
        try
        {
            foreach (ActivityRecord record in stored)
            {
                await output.WriteLineAsync($"ack {record.RecordId}");
            }
        }
        finally
        {
            outputLock.Release();
        }
    }
})));

static async Task RelayAsync(string database, string name, TimeSpan lease, TimeSpan delay)
{
    using var store = new SqliteActivityLogRepo($"Data Source={database}");
    using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
    var log = new ActivityLog(store, eventBus: new StdoutBus(output, delay), options: new ActivityLogOptions { Delivery = ActivityDelivery.Durable });
    var relay = new ActivityRecordedRelay(log, new ActivityRelayOptions { Name = name, BatchSize = 25, LeaseDuration = lease });
    await output.WriteLineAsync("ready");
    while (true)
    {
        if (!await relay.DeliverBatchAsync())
        {
            await output.WriteLineAsync("idle");
            await Task.Delay(20);
        }
    }
}

static async Task CheckpointAsync(string database, string keyFile, int every)
{
    var actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    using var store = new SqliteActivityLogRepo($"Data Source={database}");
    using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
    var checkpointer = new ActivityCheckpointer(store, new ActivityCheckpointOptions
    {
        Sink = FileActivityCheckpointSink.Beside(database),
        Key = ActivityCheckpointKey.LoadOrCreate(keyFile).Key,
        EveryRecords = every,
        Interval = TimeSpan.FromMilliseconds(200),
        PollInterval = TimeSpan.FromMilliseconds(5),
    });
    await checkpointer.StartAsync(CancellationToken.None); // as a host runs it
    await output.WriteLineAsync("ready");
    long written = 0;
    for (long n = 0; ; n++)
    {
        ActivityRecord stored = (await store.AppendAsync(ActivityRecord.Create(actor, actor, "crash_test", new EntityRef("Task", $"task-{n % 100}")))).Record!;
        await output.WriteLineAsync($"ack {stored.Sequence}");
        if (checkpointer.Latest is { } checkpoint && checkpoint.TreeSize > written)
        {
            written = checkpoint.TreeSize;
            await output.WriteLineAsync($"checkpoint {written}");
        }
    }
}

static async Task PurgeAsync(string database, int maxRecords)
{
    using var store = new SqliteActivityLogRepo($"Data Source={database}");
    using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
    var options = new ActivityRetentionOptions { MaxRecordsPerPurge = maxRecords };
    options.Policy.KeepMonths = 12;
    var retention = new ActivityLogRetention(store, options);
    await output.WriteLineAsync("ready");
    while (true)
    {
        ActivityPurgeResult result = await retention.PurgeAsync(ActivityRetentionOptions.SystemActorId);
        await output.WriteLineAsync($"purged {result.RecordsPurged}");
        await Task.Delay(10);
    }
}

/// <summary>The event bus of the relay child: an event is delivered once its line is written.</summary>
internal sealed class StdoutBus(StreamWriter output, TimeSpan delay) : IEventBus
{
    public async ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : notnull
    {
        var recorded = (ActivityRecorded)(object)@event;
        await Task.Delay(delay, cancellationToken);
        await output.WriteLineAsync($"delivered {recorded.RecordId}");
    }
}
