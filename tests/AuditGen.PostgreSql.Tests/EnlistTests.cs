using Microsoft.Extensions.DependencyInjection;
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
}
