using AuditGen.Conformance;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite.Tests;

/// <summary>Retention and legal holds on real SQLite files, against the shared conformance suite.</summary>
public sealed class SqliteRetentionTests : ActivityLogRetentionConformanceTests
{
    private readonly Dictionary<IActivityLogRepo, TempDatabase> _databases = [];

    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        var database = new TempDatabase();
        var log = new SqliteActivityLogRepo(database.ConnectionString, clock);
        _databases.Add(log, database);
        return Task.FromResult<IActivityLogRepo>(log);
    }

    private async Task ExecuteAsync(IActivityLogRepo log, string sql)
    {
        await using var connection = new SqliteConnection(_databases[log].ConnectionString);
        await connection.OpenAsync();
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync(); // not reached when the database refuses: disposing rolls back
    }

    protected override Task DeleteDirectlyAsync(IActivityLogRepo log, long sequence, bool insideForgedWindow) => ExecuteAsync(log, insideForgedWindow
        ? $"INSERT INTO auditgen_purge_window VALUES (9223372036854775807, 9223372036854775807); DELETE FROM activity_records WHERE sequence = {sequence};"
        : $"DELETE FROM activity_records WHERE sequence = {sequence}");

    protected override Task ForceDeleteAsync(IActivityLogRepo log, long sequence) =>
        ExecuteAsync(log, $"DROP TRIGGER activity_records_no_delete; DELETE FROM activity_records WHERE sequence = {sequence};");

    public override void Dispose()
    {
        foreach ((IActivityLogRepo log, TempDatabase database) in _databases)
        {
            ((SqliteActivityLogRepo)log).Dispose();
            database.Dispose();
        }

        base.Dispose();
    }
}
