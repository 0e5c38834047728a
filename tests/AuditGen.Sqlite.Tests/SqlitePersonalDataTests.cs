using AuditGen.Conformance;

namespace AuditGen.Sqlite.Tests;

/// <summary>Personal data on real SQLite files, against the shared conformance suite: the scans read the database file and its WAL.</summary>
public sealed class SqlitePersonalDataTests : PersonalDataConformanceTests
{
    private readonly Dictionary<IActivityLogRepo, TempDatabase> _databases = [];

    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        var database = new TempDatabase();
        var log = new SqliteActivityLogRepo(database.ConnectionString, clock);
        _databases.Add(log, database);
        return Task.FromResult<IActivityLogRepo>(log);
    }

    protected override Task<bool> StorageContainsAsync(IActivityLogRepo log, byte[] bytes)
    {
        TempDatabase database = _databases[log];
        foreach (string file in Directory.GetFiles(database.Folder, "audit.db*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (copy.GetBuffer().AsSpan(0, (int)copy.Length).IndexOf(bytes) >= 0)
            {
                return Task.FromResult(true);
            }
        }

        return Task.FromResult(false);
    }

    public override void Dispose()
    {
        foreach ((IActivityLogRepo log, TempDatabase database) in _databases)
        {
            ((IDisposable)log).Dispose();
            database.Dispose();
        }

        base.Dispose();
    }
}
