using System.Diagnostics;
using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// 1, 4, 16 and 64 concurrent appenders, each awaiting its own durable single append (the adapters' group commit joins
/// them), 256 appends per invocation: the mean is the time per append (throughput = 1 / mean); each append's latency is
/// recorded and its p50/p99 printed at the end of each case (<c>// p99</c> lines in the log).
/// </summary>
public abstract class GroupCommitBenchmarks
{
    private const int AppendsPerInvoke = 256;
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly List<double> _latencies = [];

    /// <summary>Concurrent appenders.</summary>
    [Params(1, 4, 16, 64)]
    public int Writers { get; set; }

    protected abstract IActivityLogRepo Log { get; }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public async Task ConcurrentSingleAppends()
    {
        int each = AppendsPerInvoke / Writers;
        double[][] latencies = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            double[] mine = new double[each];
            for (int i = 0; i < each; i++)
            {
                long start = Stopwatch.GetTimestamp();
                await Log.AppendAsync(ActivityRecord.Create(Actor, Actor, "bench_append", new EntityRef("Task", $"task-{w}-{i}"),
                    new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = i }));
                mine[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            return mine;
        })));
        lock (_latencies)
        {
            foreach (double[] writer in latencies)
            {
                _latencies.AddRange(writer);
            }
        }
    }

    protected void ReportLatencies()
    {
        if (_latencies.Count == 0)
        {
            return;
        }

        double[] sorted = [.. _latencies.Order()];
        Console.WriteLine($"// p99 {GetType().Name} Writers={Writers}: p50 {sorted[sorted.Length / 2]:F2} ms, p99 {sorted[(int)(sorted.Length * 0.99)]:F2} ms over {sorted.Length} appends");
    }
}

/// <summary>SQLite on disk, WAL, synchronous=FULL.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SqliteGroupCommitBenchmarks : GroupCommitBenchmarks
{
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public void Setup()
    {
        _folder = LogFixture.NewFolder("group");
        _log = new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ReportLatencies();
        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}

/// <summary>PostgreSQL with <c>synchronous_commit = on</c> for the log's connections (as in production; the test cluster defaults to off).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class PostgreSqlGroupCommitBenchmarks : GroupCommitBenchmarks
{
    private string _schema = null!;
    private PostgreSqlActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    private static string ConnectionString => new NpgsqlConnectionStringBuilder(LogFixture.PostgresServer)
    {
        Options = "-c synchronous_commit=on",
        MaxPoolSize = 100,
    }.ConnectionString;

    [GlobalSetup]
    public void Setup()
    {
        _schema = LogFixture.NewSchemaName("group");
        _log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = ConnectionString, Schema = _schema });
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        ReportLatencies();
        await LogFixture.DropSchemaAsync(_schema);
        _log.Dispose();
    }
}

/// <summary>
/// The physical limit of group commit side by side with what it approaches: 64 concurrent single appenders (each awaiting its
/// own durable append) against one writer appending batches of 64, the same 256 records per invocation, SQLite on disk at
/// synchronous=FULL. The ratio of the means is the share of the batch's throughput the concurrent appenders reach.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 10)]
public class SqliteWritersVsBatchBenchmarks
{
    private const int AppendsPerInvoke = 256;
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _folder = LogFixture.NewFolder("64");
        _log = new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }

    private ActivityRecord NewRecord(int w) => ActivityRecord.Create(Actor, Actor, "bench_append", new EntityRef("Task", $"task-{w}-{Interlocked.Increment(ref _next)}"),
        new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = _next });

    [Benchmark(Baseline = true, OperationsPerInvoke = AppendsPerInvoke)]
    public async Task OneWriterBatchesOf64()
    {
        for (int b = 0; b < AppendsPerInvoke / 64; b++)
        {
            await _log.AppendManyAsync([.. Enumerable.Range(0, 64).Select(NewRecord)]);
        }
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public Task SixtyFourConcurrentSingleAppenders() => Task.WhenAll(Enumerable.Range(0, 64).Select(w => Task.Run(async () =>
    {
        for (int i = 0; i < AppendsPerInvoke / 64; i++)
        {
            await _log.AppendAsync(NewRecord(w));
        }
    })));
}
