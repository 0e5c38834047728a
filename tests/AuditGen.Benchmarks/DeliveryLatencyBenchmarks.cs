using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;

namespace AuditGen.Benchmarks;

/// <summary>
/// Issue 28's delivery goal: how long an <see cref="ActivityRecorded"/> event takes from the append's commit to its
/// handler, in the same process, with durable delivery and the relay's default poll interval (1 s). Each invocation
/// appends one record through the pipeline and waits until the bus has it; <c>append only</c> is the same append without
/// waiting, in the same run. The commit-to-handler latencies of every invocation are printed as p50/p99 at the end.
/// </summary>
public abstract class DeliveryLatencyBenchmarks
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<long>> _waiting = new();
    private readonly ConcurrentBag<double> _latencies = [];
    private ActivityRecordedRelay _relay = null!;
    private int _n;

    protected ActivityLog Log { get; private set; } = null!;

    /// <summary>The store under the pipeline.</summary>
    protected abstract IActivityLogRepo CreateStore();

    private sealed class Bus(DeliveryLatencyBenchmarks owner) : IEventBus
    {
        public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : notnull
        {
            long now = Stopwatch.GetTimestamp();
            if (@event is ActivityRecorded recorded && owner._waiting.TryRemove(recorded.RecordId, out TaskCompletionSource<long>? waiter))
            {
                waiter.TrySetResult(now);
            }

            return ValueTask.CompletedTask;
        }
    }

    protected async Task StartAsync()
    {
        Log = new ActivityLog(CreateStore(), eventBus: new Bus(this), options: new ActivityLogOptions { Delivery = ActivityDelivery.Durable });
        _relay = new ActivityRecordedRelay(Log, new ActivityRelayOptions { Name = "latency-" + Guid.NewGuid().ToString("N")[..8] });
        await _relay.StartAsync(CancellationToken.None);
    }

    protected async Task StopAsync()
    {
        await _relay.StopAsync(CancellationToken.None);
        double[] sorted = [.. _latencies.Order()];
        if (sorted.Length > 0)
        {
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// {GetType().Name}: commit-to-handler over {sorted.Length} events: p50 {P(0.50):F2} ms, p99 {P(0.99):F2} ms, max {sorted[^1]:F2} ms"));
        }
    }

    private ActivityRecord Next() => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{Interlocked.Increment(ref _n)}"));

    [Benchmark(Baseline = true, Description = "append only")]
    public ValueTask<AppendResult> AppendOnly() => Log.AppendAsync(Next());

    [Benchmark(Description = "append, then the handler has the event")]
    public async Task AppendAndDeliver()
    {
        ActivityRecord record = Next();
        var delivered = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[record.RecordId] = delivered;
        await Log.AppendAsync(record);
        long committed = Stopwatch.GetTimestamp();
        long handled = await delivered.Task;
        _latencies.Add(Math.Max(0, Stopwatch.GetElapsedTime(committed, handled).TotalMilliseconds));
    }
}

/// <summary>SQLite on disk, full durability.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SqliteDeliveryLatencyBenchmarks : DeliveryLatencyBenchmarks
{
    private string _folder = null!;

    protected override IActivityLogRepo CreateStore()
    {
        _folder = LogFixture.NewFolder("latency");
        return new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
    }

    [GlobalSetup]
    public Task SetupAsync() => StartAsync();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await StopAsync();
        await ((SqliteActivityLogRepo)Log.Store).DisposeAsync();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}

/// <summary>PostgreSQL on the server named by AUDITGEN_POSTGRES (eng/postgres.sh starts one).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PostgreSqlDeliveryLatencyBenchmarks : DeliveryLatencyBenchmarks
{
    private readonly string _schema = LogFixture.NewSchemaName("latency");

    protected override IActivityLogRepo CreateStore() =>
        new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = LogFixture.PostgresServer, Schema = _schema });

    [GlobalSetup]
    public Task SetupAsync() => StartAsync();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await StopAsync();
        await ((PostgreSqlActivityLogRepo)Log.Store).DisposeAsync();
        await LogFixture.DropSchemaAsync(_schema);
    }
}
