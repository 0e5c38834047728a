using AuditGen.Conformance;

namespace AuditGen.Sqlite.Tests;

/// <summary>The SQLite adapter, on a real database file, against the shared conformance suite.</summary>
public sealed class SqliteConformanceTests : ActivityLogRepoConformanceTests, IDisposable
{
    private readonly List<TempDatabase> _databases = [];
    private readonly List<SqliteActivityLogRepo> _logs = [];

    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        var database = new TempDatabase();
        _databases.Add(database);
        var log = new SqliteActivityLogRepo(database.ConnectionString, clock);
        _logs.Add(log);
        return Task.FromResult<IActivityLogRepo>(log);
    }

    public void Dispose()
    {
        _logs.ForEach(l => l.Dispose());
        _databases.ForEach(d => d.Dispose());
    }
}
