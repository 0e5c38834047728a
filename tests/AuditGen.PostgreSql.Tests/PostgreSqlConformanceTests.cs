using AuditGen.Conformance;

namespace AuditGen.PostgreSql.Tests;

/// <summary>The PostgreSQL adapter, on a real server, against the shared conformance suite.</summary>
public sealed class PostgreSqlConformanceTests : ActivityLogRepoConformanceTests, IDisposable
{
    private readonly List<PostgreSqlActivityLogRepo> _logs = [];

    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        PostgreSqlActivityLogRepo log = TestServer.NewLog(clock);
        _logs.Add(log);
        return Task.FromResult<IActivityLogRepo>(log);
    }

    public void Dispose() => _logs.ForEach(l => l.Dispose());
}
