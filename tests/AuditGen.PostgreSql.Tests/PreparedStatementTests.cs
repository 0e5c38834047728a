using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>
/// The adapter's own pool prepares its statements (parse and plan once per connection, not per call), leaves a
/// connection string's own choice alone, and keeps working when the schema under a prepared statement changes.
/// </summary>
public sealed class PreparedStatementTests
{
    private static string OneConnection(string? extra = null) =>
        new NpgsqlConnectionStringBuilder(TestServer.ConnectionString + (extra is null ? "" : ";" + extra)) { MaxPoolSize = 1 }.ConnectionString;

    private static ActivityRecord Record(int n) =>
        ActivityRecord.Create(Guid.NewGuid(), Guid.NewGuid(), "prepare_test", new EntityRef("Task", $"t-{n}"), new Dictionary<string, object?> { ["n"] = n });

    private static async Task<List<string>> PreparedAsync(PostgreSqlActivityLogRepo log)
    {
        await using NpgsqlConnection connection = await log.DataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT statement FROM pg_prepared_statements", connection);
        var statements = new List<string>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            statements.Add(reader.GetString(0));
        }

        return statements;
    }

    [Fact]
    public async Task Appends_and_pages_run_as_prepared_statements_on_the_adapters_own_connections()
    {
        string schema = TestServer.NewSchema();
        using var log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = OneConnection(), Schema = schema });
        for (int i = 0; i < 3; i++)
        {
            await log.AppendAsync(Record(i));
            await log.QueryAsync(ActivityQuery.ByAction("prepare_test", 10));
        }

        List<string> prepared = await PreparedAsync(log);
        Assert.Contains(prepared, s => s.StartsWith($"INSERT INTO \"{schema}\".activity_records", StringComparison.Ordinal));
        Assert.Contains(prepared, s => s.Contains("pg_advisory_xact_lock", StringComparison.Ordinal));
        Assert.Contains(prepared, s => s.StartsWith("SELECT", StringComparison.Ordinal) && s.Contains($"\"{schema}\".activity_records", StringComparison.Ordinal) && s.Contains("action", StringComparison.Ordinal));
        Assert.Equal(3, (await log.QueryAsync(ActivityQuery.ByAction("prepare_test", 10))).Items.Count);
    }

    [Fact]
    public async Task A_connection_string_that_turns_preparation_off_is_obeyed()
    {
        using var log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = OneConnection("Max Auto Prepare=0"), Schema = TestServer.NewSchema() });
        for (int i = 0; i < 3; i++)
        {
            await log.AppendAsync(Record(i));
        }

        Assert.Empty(await PreparedAsync(log));
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(log.DataSource.ConnectionString).MaxAutoPrepare);
    }

    [Fact]
    public async Task Prepared_appends_keep_working_when_a_new_partition_is_created_under_them()
    {
        var clock = new MovableClock(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        using var log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = OneConnection(), Schema = TestServer.NewSchema(), PartitionsAhead = 0 }, clock);
        for (int i = 0; i < 3; i++)
        {
            await log.AppendAsync(Record(i));
        }

        // Months later: the append routes into a partition created after its statements were prepared.
        clock.Now = clock.Now.AddMonths(5);
        for (int i = 3; i < 6; i++)
        {
            await log.AppendAsync(Record(i));
        }

        ActivityPage page = await log.QueryAsync(ActivityQuery.ByAction("prepare_test", 10));
        Assert.Equal(6, page.Items.Count);
        Assert.Equal(2, page.Items.Select(r => r.OccurredAt.Month).Distinct().Count());
    }

    private sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
