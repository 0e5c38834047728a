using AuditGen.Conformance;

namespace AuditGen.Tests;

/// <summary>The in-memory adapter against the shared conformance suite.</summary>
public sealed class InMemoryConformanceTests : ActivityLogRepoConformanceTests
{
    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock) =>
        Task.FromResult<IActivityLogRepo>(new InMemoryActivityLogRepo(clock));
}

/// <summary>The pipeline over the in-memory adapter passes the same suite: it adds behaviour, never changes the port's.</summary>
public sealed class PipelineConformanceTests : ActivityLogRepoConformanceTests
{
    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock) =>
        Task.FromResult<IActivityLogRepo>(new ActivityLog(new InMemoryActivityLogRepo(clock), clock: clock));
}
