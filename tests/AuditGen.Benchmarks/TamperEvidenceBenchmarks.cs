using AuditGen.Integrity;
using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;

namespace AuditGen.Benchmarks;

/// <summary>
/// Appends with tamper evidence on (the checkpointer reading, hashing and signing beside the writers, every 1,000 records)
/// and off, side by side in one run: single appends and batches of 100.
/// </summary>
public abstract class TamperEvidenceAppendBenchmarks
{
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private ActivityCheckpointer? _checkpointer;
    private int _next;

    /// <summary>Whether the checkpointer runs beside the appends.</summary>
    [Params(false, true)]
    public bool Checkpoints { get; set; }

    protected abstract IActivityLogRepo Log { get; }

    protected abstract ValueTask AppendManyAsync(ActivityRecord[] batch);

    protected string Folder { get; } = Path.Combine(Path.GetTempPath(), "auditgen-bench-te-" + Guid.NewGuid().ToString("N"));

    protected async Task StartAsync()
    {
        Directory.CreateDirectory(Folder);
        if (Checkpoints)
        {
            _checkpointer = new ActivityCheckpointer(Log, new ActivityCheckpointOptions
            {
                Sink = new FileActivityCheckpointSink(Path.Combine(Folder, "checkpoints")),
                Key = ActivityCheckpointKey.Create("bench", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue),
                EveryRecords = 1_000,
                Interval = TimeSpan.FromSeconds(1),
                PollInterval = TimeSpan.FromMilliseconds(10),
            });
            await _checkpointer.StartAsync(CancellationToken.None);
        }
    }

    protected async Task StopAsync()
    {
        if (_checkpointer is not null)
        {
            await _checkpointer.StopAsync(CancellationToken.None);
            _checkpointer.Dispose();
        }

        LogFixture.DeleteSqliteFolder(Folder);
    }

    private ActivityRecord NewRecord() =>
        ActivityRecord.Create(Actor, Actor, "bench_append", new EntityRef("Task", $"task-{Interlocked.Increment(ref _next) % 1000}"),
            new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = _next });

    [Benchmark]
    public ValueTask<AppendResult> AppendSingle() => Log.AppendAsync(NewRecord());

    [Benchmark(OperationsPerInvoke = 100)]
    public ValueTask AppendBatch100() => AppendManyAsync([.. Enumerable.Range(0, 100).Select(_ => NewRecord())]);
}

/// <summary>SQLite on disk (WAL, synchronous=FULL).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class SqliteTamperEvidenceBenchmarks : TamperEvidenceAppendBenchmarks
{
    private SqliteActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    protected override async ValueTask AppendManyAsync(ActivityRecord[] batch) => await _log.AppendManyAsync(batch);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        Directory.CreateDirectory(Folder);
        _log = new SqliteActivityLogRepo(LogFixture.SqliteFile(Folder));
        await StartAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await StopAsync();
        _log.Dispose();
    }
}

/// <summary>PostgreSQL (the test cluster of eng/postgres.sh).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class PostgreSqlTamperEvidenceBenchmarks : TamperEvidenceAppendBenchmarks
{
    private PostgreSqlActivityLogRepo _log = null!;
    private string _schema = null!;

    protected override IActivityLogRepo Log => _log;

    protected override async ValueTask AppendManyAsync(ActivityRecord[] batch) => await _log.AppendManyAsync(batch);

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _schema = LogFixture.NewSchemaName("tamper");
        _log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = LogFixture.PostgresServer, Schema = _schema });
        await StartAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await StopAsync();
        await LogFixture.DropSchemaAsync(_schema);
        _log.Dispose();
    }
}

/// <summary>
/// Verification of a 1 M-record SQLite log against its checkpoints (per record: records/s = 1 / mean), and the cost of one
/// checkpoint of 1,000 new records (read, hash, sign, write).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class VerifyBenchmarks
{
    private const int Records = 1_000_000;
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;
    private FileActivityCheckpointSink _sink = null!;
    private ActivityCheckpointKey _key = null!;
    private ActivityCheckpointer _checkpointer = null!;
    private int _next;

    private ActivityRecord[] Batch(int size) => [.. Enumerable.Range(0, size).Select(_ => ActivityRecord.Create(Actor, Actor, "bench_append",
        new EntityRef("Task", $"task-{++_next % 1000}"), new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = _next }))];

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("verify");
        _log = new SqliteActivityLogRepo(new SqliteActivityLogOptions { ConnectionString = LogFixture.SqliteFile(_folder), Durability = SqliteDurability.Normal });
        for (int done = 0; done < Records; done += 20_000)
        {
            await _log.AppendManyAsync(Batch(20_000));
        }

        _sink = new FileActivityCheckpointSink(Path.Combine(_folder, "checkpoints"));
        _key = ActivityCheckpointKey.Create("bench", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue);
        _checkpointer = new ActivityCheckpointer(_log, new ActivityCheckpointOptions { Sink = _sink, Key = _key, EveryRecords = 1_000 });
        await _checkpointer.CheckpointAsync();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public async Task<bool> VerifyMillionPerRecord()
    {
        ActivityLogVerification result = await ActivityLogVerifier.VerifyAsync(_log, _sink, [_key.PublicKey()]);
        return result.IsIntact && result.RecordsVerified >= Records ? true : throw new InvalidOperationException(result.Problem ?? "not all verified");
    }

    [IterationSetup(Target = nameof(Checkpoint1000))]
    public void AppendThousand() => _log.AppendManyAsync(Batch(1_000)).AsTask().GetAwaiter().GetResult();

    [Benchmark, InvocationCount(1)]
    public Task<ActivityCheckpoint?> Checkpoint1000() => _checkpointer.CheckpointAsync();
}
