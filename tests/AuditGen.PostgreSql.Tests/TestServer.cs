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

    /// <summary>The plan PostgreSQL picks for <paramref name="log"/>'s SQL of <paramref name="query"/> (after cursor position <paramref name="after"/>), one line per node.</summary>
    public static async Task<string> PlanAsync(PostgreSqlActivityLogRepo log, ActivityQuery query, long? after)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using NpgsqlCommand command = log.BuildQuery(connection, query, after);
        command.CommandText = "EXPLAIN " + command.CommandText;
        var plan = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add(reader.GetString(0));
        }

        return string.Join("\n", plan);
    }

    /// <summary>The names of the partitions' indexes that inherit the log's index <c>ix_activity_records_{shape}</c>.</summary>
    public static async Task<HashSet<string>> PartitionIndexesAsync(string schema, string shape) =>
        new(await InheritorsAsync($"\"{schema}\".ix_activity_records_{shape}"), StringComparer.Ordinal);

    /// <summary>
    /// The names of the relations that inherit <paramref name="parent"/> (a partitioned table's partitions, a partitioned
    /// index's partition indexes), in name order.
    /// </summary>
    public static async Task<List<string>> InheritorsAsync(string parent)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY c.relname", connection);
        command.Parameters.Add(new() { Value = parent });
        var names = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    /// <summary>
    /// Asserts that <paramref name="plan"/> seeks (a partition's copy of) <c>ix_activity_records_{shape}</c> and scans no
    /// partition that holds rows. (The planner may "scan" an empty partition: that reads no page.)
    /// </summary>
    public static async Task AssertIndexSeekAsync(string schema, string shape, string plan)
    {
        HashSet<string> indexes = await PartitionIndexesAsync(schema, shape);
        Assert.True(indexes.Any(plan.Contains), $"no index of shape {shape} in:\n{plan}");
        await AssertNoScanOfRowsAsync(schema, plan);
    }

    /// <summary>Asserts that <paramref name="plan"/> scans no partition of <paramref name="schema"/>'s log that holds rows.</summary>
    public static async Task AssertNoScanOfRowsAsync(string schema, string plan)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT DISTINCT tableoid::regclass::text FROM \"{schema}\".activity_records", connection);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            string partition = reader.GetString(0)[(reader.GetString(0).LastIndexOf('.') + 1)..];
            Assert.False(plan.Contains($"Seq Scan on {partition}", StringComparison.Ordinal), $"a scan of {partition}, which holds rows:\n{plan}");
        }
    }
}
