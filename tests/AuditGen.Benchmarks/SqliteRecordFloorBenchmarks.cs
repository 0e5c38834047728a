using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace AuditGen.Benchmarks;

/// <summary>
/// The floor under every logged write on SQLite, without EF Core, a pipeline or a use case: one application row updated in
/// a transaction, against the same transaction carrying its record (<see cref="SqliteActivityLogRepo.Enlist"/>), at full
/// durability and with durability off (synchronous=OFF: what is left is CPU). The record writes its row and its five
/// indexes' pages into the commit; the application's update writes one page.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
public class SqliteRecordFloorBenchmarks
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private string _folder = null!;
    private SqliteConnection _connection = null!;
    private SqliteActivityLogRepo _log = null!;
    private int _next;

    /// <summary>The database's synchronous setting: FULL (the log's default) or OFF.</summary>
    [Params("FULL", "OFF")]
    public string Synchronous { get; set; } = "FULL";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("floor");
        string connectionString = LogFixture.SqliteFile(_folder, "app.db");
        _log = new SqliteActivityLogRepo(connectionString);
        await _log.MigrateAsync();
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        Execute($"PRAGMA journal_mode = WAL; PRAGMA synchronous = {Synchronous}; " +
            "CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT NOT NULL, state TEXT NOT NULL, version INTEGER NOT NULL);");
        for (int i = 0; i < 1_000; i++)
        {
            Execute($"INSERT INTO items VALUES ({i}, 'Draft', 'open', 0)");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }

    private void Execute(string sql)
    {
        using SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private int Update(SqliteTransaction transaction)
    {
        int id = Interlocked.Increment(ref _next) % 1_000;
        using SqliteCommand update = _connection.CreateCommand();
        update.Transaction = transaction;
        update.CommandText = "UPDATE items SET title = $title, state = 'done', version = version + 1 WHERE id = $id";
        update.Parameters.AddWithValue("$title", "Ship it " + id);
        update.Parameters.AddWithValue("$id", id);
        update.ExecuteNonQuery();
        return id;
    }

    [Benchmark(Baseline = true, Description = "update one row")]
    public void UpdateOnly()
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        Update(transaction);
        transaction.Commit();
    }

    [Benchmark(Description = "update one row + its record, one commit")]
    public async Task UpdateWithRecord()
    {
        using SqliteTransaction transaction = _connection.BeginTransaction();
        int id = Update(transaction);
        IActivityLogTransaction log = _log.Enlist(transaction);
        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "update_item", new EntityRef("Item", id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new Dictionary<string, object?> { ["title"] = "Ship it" }), CancellationToken.None);
        transaction.Commit();
    }
}
