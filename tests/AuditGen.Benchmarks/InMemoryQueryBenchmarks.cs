using BenchmarkDotNet.Attributes;

namespace AuditGen.Benchmarks;

/// <summary>
/// First page (limit 50, newest first) by each index at 1 K, 100 K and 1 M records, on the bare adapter and through
/// the pipeline (one no-op hook of each kind; queries pass straight through).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class InMemoryQueryBenchmarks
{
    private IActivityLogRepo _log = null!;
    private ActivityQuery _byEntity = null!, _byActor = null!, _byOwner = null!, _byAction = null!;

    [Params(1_000, 100_000, 1_000_000)]
    public int Records { get; set; }

    [Params(false, true)]
    public bool ThroughPipeline { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var store = new InMemoryActivityLogRepo();
        await LogFixture.FillAsync(store, Records);
        _log = ThroughPipeline ? new ActivityLog(store, [new NoOpHooks.Before()], [new NoOpHooks.After()]) : store;
        int middle = Math.Max(1, Records / LogFixture.RecordsPerKey) / 2;
        _byEntity = ActivityQuery.ByEntity(LogFixture.Entity(middle));
        _byActor = ActivityQuery.ByActor(LogFixture.Actor(middle));
        _byOwner = ActivityQuery.ByOwner(LogFixture.Owner(middle));
        _byAction = ActivityQuery.ByAction(LogFixture.Action(3));
    }

    [Benchmark]
    public ValueTask<ActivityPage> ByEntity() => _log.QueryAsync(_byEntity);

    [Benchmark]
    public ValueTask<ActivityPage> ByActor() => _log.QueryAsync(_byActor);

    [Benchmark]
    public ValueTask<ActivityPage> ByOwner() => _log.QueryAsync(_byOwner);

    [Benchmark]
    public ValueTask<ActivityPage> ByAction() => _log.QueryAsync(_byAction);
}
