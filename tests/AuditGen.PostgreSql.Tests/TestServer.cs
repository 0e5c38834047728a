using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>The test cluster (started by eng/test.sh) and a fresh schema per log, so tests never see each other's rows.</summary>
internal static class TestServer
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("AUDITGEN_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "AUDITGEN_POSTGRES is not set: run the tests with ./eng/test.sh, which starts a throwaway PostgreSQL cluster, " +
                "or point AUDITGEN_POSTGRES at a server you own (a connection string; tests create and use their own schemas).");

    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public static PostgreSqlActivityLogRepo NewLog(TimeProvider? clock = null, string? schema = null) =>
        new(new PostgreSqlActivityLogOptions { ConnectionString = ConnectionString, Schema = schema ?? NewSchema() }, clock);

    public static async Task<object?> ScalarAsync(string sql, string? connectionString = null)
    {
        await using var connection = new NpgsqlConnection(connectionString ?? ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
