using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;

namespace AuditGen.Benchmarks;

/// <summary>
/// Issue 25's state goal: rebuilding an entity with 1,000 recorded changes (an addition, then 999 modifications of five
/// properties each) in a log of 100,000 records about 100 entities (each with as many) — at the end, and halfway through its history. And
/// the price of a record's changes on append: one record with five property changes beside the same record without.
/// </summary>
public abstract class EntityStateBenchmarks
{
    private const int Entities = 100;
    private const int ChangesPerEntity = 1_000;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly EntityRef Tracked = LogFixture.Entity(7);
    private int _appended;

    protected abstract IActivityLogRepo Log { get; }

    /// <summary>Per entity: its creation, then modifications of five of its properties, interleaved across entities.</summary>
    protected static IEnumerable<ActivityRecord> Fill()
    {
        for (int n = 0; n < ChangesPerEntity; n++)
        {
            for (int e = 0; e < Entities; e++)
            {
                EntityRef entity = LogFixture.Entity(e);
                EntityChange change = n == 0
                    ? new EntityChange(entity, EntityChangeKind.Added, [.. Enumerable.Range(0, 5).Select(p => new PropertyChange($"P{p}", null, $"v0-{p}"))])
                    : new EntityChange(entity, EntityChangeKind.Modified, [.. Enumerable.Range(0, 5).Select(p => new PropertyChange($"P{p}", $"v{n - 1}-{p}", $"v{n}-{p}"))]);
                ActivityRecord record = ActivityRecord.Create(LogFixture.Actor(e % 50), LogFixture.Owner(e % 50), n == 0 ? "create_task" : "update_task", entity,
                    occurredAt: Start.AddSeconds((n * Entities) + e));
                yield return record with { Changes = [change] };
            }
        }
    }

    [Benchmark(Description = "state after 1,000 changes")]
    public ValueTask<ActivityEntityState?> StateAtTheEnd() => Log.GetEntityStateAsync(Tracked, DateTimeOffset.MaxValue);

    /// <summary>The port's default (and the adapters' way before issue 25's rework): whole records streamed, then replayed.</summary>
    [Benchmark(Description = "state after 1,000 changes, from whole records")]
    public ValueTask<ActivityEntityState?> StateAtTheEndFromRecords() =>
        ActivityEntityState.RebuildAsync(Tracked, DateTimeOffset.MaxValue, Log.StreamAsync(ActivityEntityState.QueryFor(Tracked, DateTimeOffset.MaxValue)));

    [Benchmark(Description = "state halfway (500 changes)")]
    public ValueTask<ActivityEntityState?> StateHalfway() => Log.GetEntityStateAsync(Tracked, Start.AddSeconds(ChangesPerEntity / 2 * Entities));

    [Benchmark(Baseline = true, Description = "append without changes")]
    public ValueTask<AppendResult> AppendWithout() =>
        Log.AppendAsync(ActivityRecord.Create(LogFixture.Actor(1), LogFixture.Owner(1), "update_task", LogFixture.Entity(Interlocked.Increment(ref _appended) % 1000)));

    [Benchmark(Description = "append with five property changes")]
    public ValueTask<AppendResult> AppendWithChanges()
    {
        EntityRef entity = LogFixture.Entity(Interlocked.Increment(ref _appended) % 1000);
        return Log.AppendAsync(ActivityRecord.Create(LogFixture.Actor(1), LogFixture.Owner(1), "update_task", entity) with
        {
            Changes = [new EntityChange(entity, EntityChangeKind.Modified, [.. Enumerable.Range(0, 5).Select(p => new PropertyChange($"P{p}", "old value", "new value"))])],
        });
    }
}

/// <summary>SQLite on disk, full durability.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SqliteEntityStateBenchmarks : EntityStateBenchmarks
{
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("state");
        _log = new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
        foreach (ActivityRecord[] chunk in Fill().Chunk(10_000))
        {
            await _log.AppendManyAsync(chunk);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _log.DisposeAsync();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}

/// <summary>PostgreSQL on the server named by AUDITGEN_POSTGRES (eng/postgres.sh starts one).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PostgreSqlEntityStateBenchmarks : EntityStateBenchmarks
{
    private readonly string _schema = LogFixture.NewSchemaName("state");
    private PostgreSqlActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = LogFixture.PostgresServer, Schema = _schema });
        foreach (ActivityRecord[] chunk in Fill().Chunk(10_000))
        {
            await _log.AppendManyAsync(chunk);
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await LogFixture.DropSchemaAsync(_schema);
        await _log.DisposeAsync();
    }
}
