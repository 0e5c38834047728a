using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>
/// Applications that write with ADO.NET or Dapper on PostgreSQL: the record joins their transaction, commits or rolls back
/// with their change; and the adapter can use the application's own <see cref="NpgsqlDataSource"/>.
/// </summary>
public sealed class EnlistTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    [Fact]
    public async Task A_record_enlisted_in_the_applications_transaction_commits_or_rolls_back_with_it()
    {
        string schema = TestServer.NewSchema();
        using PostgreSqlActivityLogRepo store = TestServer.NewLog(schema: schema);
        await store.MigrateAsync();
        var log = new ActivityLog(store);
        await using var connection = new NpgsqlConnection(TestServer.ConnectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand($"CREATE TABLE {schema}.invoices (id text PRIMARY KEY)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        foreach ((string id, bool commit) in new[] { ("inv-1", false), ("inv-2", true) })
        {
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand($"INSERT INTO {schema}.invoices (id) VALUES ($1)", connection, transaction))
            {
                insert.Parameters.Add(new() { Value = id });
                await insert.ExecuteNonQueryAsync();
            }

            await using ActivityTransaction audit = log.Enlist(transaction);
            await audit.AppendAsync(ActivityRecord.Create(Alice, Alice, "issue_invoice", new EntityRef("Invoice", id)));
            if (commit)
            {
                await audit.CommitAsync();
            }
        }

        Assert.Equal(1L, await TestServer.ScalarAsync($"SELECT count(*) FROM {schema}.invoices"));
        Assert.Equal("inv-2", (await store.GetByActorAsync(Alice)).Single().EntityRef.EntityId);
    }

    [Fact]
    public async Task UsePostgreSql_without_a_connection_string_uses_the_applications_data_source_and_leaves_it_open()
    {
        string schema = TestServer.NewSchema();
        await using NpgsqlDataSource dataSource = NpgsqlDataSource.Create(TestServer.ConnectionString);
        await using (ServiceProvider services = new ServiceCollection()
            .AddSingleton(dataSource)
            .AddActivityLog(log => log.UsePostgreSql("Host=unused.invalid").UsePostgreSql(o => o.Schema = schema))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }))
        {
            await services.GetRequiredService<IActivityLogRepo>().AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "t")));
            Assert.IsType<PostgreSqlActivityLogRepo>(services.GetRequiredService<ActivityLog>().Store); // the later Use* wins
        }

        // The container disposed the adapter; the application's data source still works.
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.activity_records", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    private static readonly DateTimeOffset March2019 = new(2019, 3, 10, 12, 0, 0, TimeSpan.Zero);

    /// <summary>"Now" for the partition tests: mid-month on a fixed clock, so no run straddles a month's end.</summary>
    private static readonly DateTimeOffset Now = new(2030, 6, 15, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Appends a record at <paramref name="at"/> in a transaction of its own on <paramref name="connection"/>, and commits it with the record.</summary>
    private static async Task AppendAndCommitAsync(PostgreSqlActivityLogRepo store, NpgsqlConnection connection, DateTimeOffset at, string id)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await store.Enlist(transaction).AppendAndCommitAsync(
            ActivityRecord.Create(Alice, Alice, "issue_invoice", new EntityRef("Invoice", id)) with { OccurredAt = at }, CancellationToken.None);
    }

    /// <summary>A migrated log in a schema of its own on the fixed clock (<see cref="Now"/>), and an open connection to write on.</summary>
    private sealed record FixedClockLog(string Schema, PostgreSqlActivityLogRepo Store, NpgsqlConnection Connection) : IAsyncDisposable
    {
        public static async Task<FixedClockLog> OpenAsync()
        {
            string schema = TestServer.NewSchema();
            PostgreSqlActivityLogRepo store = TestServer.NewLog(new FakeTimeProvider(Now), schema);
            await store.MigrateAsync();
            var connection = new NpgsqlConnection(TestServer.ConnectionString);
            await connection.OpenAsync();
            return new FixedClockLog(schema, store, connection);
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            Store.Dispose();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_partition_made_by_a_committed_append_is_not_asked_for_again_and_an_unknown_one_still_is()
    {
        await using FixedClockLog log = await FixedClockLog.OpenAsync();
        (string schema, PostgreSqlActivityLogRepo store, NpgsqlConnection connection) = log;
        await AppendAndCommitAsync(store, connection, Now, "inv-1"); // asks for this month's partition in the commit's batch

        // From now on, asking for a partition fails: an append that still asked could not be stored.
        await ExecuteAsync(connection,
            $"CREATE OR REPLACE FUNCTION {schema}.activity_records_partition_for(at timestamptz, months integer) " +
            "RETURNS TABLE (lower_bound timestamptz, upper_bound timestamptz) LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'asked for a partition'; END $$");

        await AppendAndCommitAsync(store, connection, Now.AddDays(1), "inv-2");
        var unknown = await Assert.ThrowsAsync<PostgresException>(() => AppendAndCommitAsync(store, connection, Now.AddMonths(6), "inv-3"));
        Assert.Contains("asked for a partition", unknown.MessageText, StringComparison.Ordinal);
        Assert.Equal(["inv-2", "inv-1"], (await store.GetByActorAsync(Alice)).Select(r => r.EntityRef.EntityId));
    }

    [Fact]
    public async Task A_past_months_partition_is_asked_for_every_time_as_retention_elsewhere_may_have_dropped_it()
    {
        await using FixedClockLog log = await FixedClockLog.OpenAsync();
        (string schema, PostgreSqlActivityLogRepo store, NpgsqlConnection connection) = log;
        await AppendAndCommitAsync(store, connection, March2019, "inv-1"); // a back-dated import makes March 2019's partition

        // Another process's retention drops that month, as its purge does: the partition and its registry row.
        await ExecuteAsync(connection, $"DROP TABLE {schema}.activity_records_p20190301");
        await ExecuteAsync(connection, $"DELETE FROM {schema}.auditgen_partitions WHERE name = 'activity_records_p20190301'");

        await AppendAndCommitAsync(store, connection, March2019.AddDays(1), "inv-2"); // asks again, so the partition is made again
        Assert.Equal(["inv-2"], (await store.GetByActorAsync(Alice)).Select(r => r.EntityRef.EntityId));
    }

    [Fact]
    public async Task Partitions_known_in_one_database_are_asked_for_in_another()
    {
        // One adapter writing on applications' connections to two databases, as the EF Core store's does for a context
        // type whose connection string names a database per tenant. Six months ahead: past the partitions the schema
        // makes ahead, so only the first database has that month's partition after its append.
        string schema = TestServer.NewSchema();
        string[] databases = ["t_" + Guid.NewGuid().ToString("N")[..16], "t_" + Guid.NewGuid().ToString("N")[..16]];
        foreach (string database in databases)
        {
            await TestServer.ScalarAsync($"CREATE DATABASE {database}");
        }

        try
        {
            using PostgreSqlActivityLogRepo store = PostgreSqlActivityLogRepo.ForConnections(schema, new FakeTimeProvider(Now));
            DateTimeOffset ahead = Now.AddMonths(6);
            foreach ((string database, int i) in databases.Select((d, i) => (d, i)))
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestServer.ConnectionString) { Database = database }.ConnectionString);
                await connection.OpenAsync();
                await store.MigrateAsync(connection, CancellationToken.None);
                await AppendAndCommitAsync(store, connection, ahead, $"inv-{i}");
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {schema}.activity_records", connection);
                Assert.Equal(1L, await count.ExecuteScalarAsync());
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            foreach (string database in databases)
            {
                await TestServer.ScalarAsync($"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
            }
        }
    }
}
