using BenchmarkDotNet.Attributes;

namespace AuditGen.Benchmarks;

/// <summary>
/// Create + append of one record on the bare in-memory adapter and through the pipeline with one no-op
/// before-append hook and one no-op after-append hook, on a log that already holds 1 K, 100 K or 1 M records.
/// <see cref="CreateOnly"/> is the record's own cost, included in both. Each iteration starts from a freshly
/// filled log, so the log size stays near the parameter (each iteration adds 100 K records).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10, invocationCount: 100_000)]
public class InMemoryAppendBenchmarks
{
    private static readonly Guid Actor = LogFixture.Actor(1);
    private static readonly EntityRef Entity = LogFixture.Entity(1);

    private InMemoryActivityLogRepo _bare = null!;
    private ActivityLog _pipeline = null!;

    [Params(1_000, 100_000, 1_000_000)]
    public int Records { get; set; }

    [IterationSetup(Target = nameof(BareAdapter))]
    public void SetupBare()
    {
        _bare = new InMemoryActivityLogRepo();
        LogFixture.FillAsync(_bare, Records).AsTask().GetAwaiter().GetResult();
    }

    [IterationSetup(Target = nameof(PipelineWithNoOpHooks))]
    public void SetupPipeline()
    {
        var store = new InMemoryActivityLogRepo();
        LogFixture.FillAsync(store, Records).AsTask().GetAwaiter().GetResult();
        _pipeline = new ActivityLog(store, [new NoOpHooks.Before()], [new NoOpHooks.After()]);
    }

    [Benchmark]
    public ActivityRecord CreateOnly() => ActivityRecord.Create(Actor, Actor, "create_task", Entity);

    [Benchmark(Baseline = true)]
    public ValueTask<AppendResult> BareAdapter() => _bare.AppendAsync(ActivityRecord.Create(Actor, Actor, "create_task", Entity));

    [Benchmark]
    public ValueTask<AppendResult> PipelineWithNoOpHooks() => _pipeline.AppendAsync(ActivityRecord.Create(Actor, Actor, "create_task", Entity));
}
