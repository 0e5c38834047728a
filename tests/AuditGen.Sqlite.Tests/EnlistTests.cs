using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.Sqlite.Tests;

/// <summary>
/// Applications that write with ADO.NET or Dapper: the record joins their transaction on their own connection, commits or
/// rolls back with their change, and after-append hooks run only once it is committed.
/// </summary>
public sealed class EnlistTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private async Task<SqliteConnection> AppConnectionAsync()
    {
        var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE IF NOT EXISTS invoices (id TEXT PRIMARY KEY, amount INTEGER NOT NULL);";
        await create.ExecuteNonQueryAsync();
        return connection;
    }

    private static async Task InsertInvoiceAsync(SqliteTransaction transaction, string id)
    {
        await using SqliteCommand insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO invoices (id, amount) VALUES ($id, 100);";
        insert.Parameters.AddWithValue("$id", id);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_hand_written_append_attaches_the_changes_it_made_and_they_commit_with_it()
    {
        using var store = new SqliteActivityLogRepo(_database.ConnectionString);
        await store.MigrateAsync();
        var log = new ActivityLog(store);
        await using SqliteConnection connection = await AppConnectionAsync();
        await using (SqliteTransaction setup = connection.BeginTransaction())
        {
            await InsertInvoiceAsync(setup, "inv-3");
            await setup.CommitAsync();
        }

        // The documented shape (docs/changes.md): read the old value, write, and say what changed in the same transaction.
        await using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            await using SqliteCommand read = connection.CreateCommand();
            read.Transaction = transaction;
            read.CommandText = "SELECT amount FROM invoices WHERE id = $id;";
            read.Parameters.AddWithValue("$id", "inv-3");
            long before = (long)(await read.ExecuteScalarAsync())!;

            await using SqliteCommand update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE invoices SET amount = $amount WHERE id = $id;";
            update.Parameters.AddWithValue("$amount", 250L);
            update.Parameters.AddWithValue("$id", "inv-3");
            await update.ExecuteNonQueryAsync();

            await using ActivityTransaction audit = log.Enlist(transaction);
            ActivityRecord record = ActivityRecord.Create(Alice, Alice, "change_invoice", new EntityRef("Invoice", "inv-3")) with
            {
                Changes = [new EntityChange(new EntityRef("Invoice", "inv-3"), EntityChangeKind.Modified, [new PropertyChange("amount", before, 250L)])],
            };
            await audit.AppendAsync(record);
            await audit.CommitAsync();
        }

        ActivityRecord stored = Assert.Single((await store.QueryAsync(new ActivityQuery())).Items);
        Assert.Equal(new PropertyChange("amount", 100L, 250L), Assert.Single(Assert.Single(stored.Changes).Properties));
        Assert.Equal(250, await CountAsync("SELECT amount FROM invoices WHERE id = 'inv-3'"));
    }

    [Fact]
    public async Task A_record_enlisted_in_the_applications_transaction_commits_or_rolls_back_with_it()
    {
        using var store = new SqliteActivityLogRepo(_database.ConnectionString);
        await store.MigrateAsync();
        var seen = new VisibilityProbe(this);
        var log = new ActivityLog(store, afterHooks: [seen]);
        await using SqliteConnection connection = await AppConnectionAsync();

        await using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            await InsertInvoiceAsync(transaction, "inv-1");
            await using ActivityTransaction audit = log.Enlist(transaction);
            Assert.True(audit.IsAtomic);
            Assert.True((await audit.AppendAsync(ActivityRecord.Create(Alice, Alice, "issue_invoice", new EntityRef("Invoice", "inv-1")))).IsAppended);
            // no commit: the application's transaction is disposed, so both roll back
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM invoices"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM activity_records"));
        Assert.Empty(seen.Visible);

        await using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            await InsertInvoiceAsync(transaction, "inv-2");
            await using ActivityTransaction audit = log.Enlist(transaction);
            await audit.AppendAsync(ActivityRecord.Create(Alice, Alice, "issue_invoice", new EntityRef("Invoice", "inv-2")));
            Assert.Empty(seen.Visible); // after-append hooks wait for the commit
            await audit.CommitAsync();
        }

        Assert.Equal(1, await CountAsync("SELECT count(*) FROM invoices"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM activity_records"));
        Assert.Equal([true], seen.Visible); // the hook ran once, and saw the record committed
    }

    [Fact]
    public async Task Enlisting_a_foreign_transaction_names_the_parameter_and_stores_nothing()
    {
        using var store = new SqliteActivityLogRepo(_database.ConnectionString);
        var ex = Assert.Throws<ArgumentException>(() => new ActivityLog(store).Enlist(new ForeignTransaction()));
        Assert.Equal("transaction", ex.ParamName);
        Assert.Contains("SqliteTransaction", ex.Message);
        Assert.Throws<NotSupportedException>(() => new ActivityLog(new InMemoryActivityLogRepo()).Enlist(new ForeignTransaction()));
    }

    [Fact]
    public async Task Without_the_logs_table_an_enlisted_append_fails_at_once_with_the_fix_and_nothing_is_committed()
    {
        using var store = new SqliteActivityLogRepo(_database.ConnectionString); // never migrated
        await using SqliteConnection connection = await AppConnectionAsync();
        await using (SqliteTransaction transaction = connection.BeginTransaction())
        {
            await InsertInvoiceAsync(transaction, "inv-1");
            await using ActivityTransaction audit = new ActivityLog(store).Enlist(transaction);
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
                await audit.AppendAsync(ActivityRecord.Create(Alice, Alice, "issue_invoice", new EntityRef("Invoice", "inv-1"))));
            Assert.Contains("MigrateAsync()", ex.Message);
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM invoices"));
    }

    [Fact]
    public async Task A_second_UseSqlite_replaces_the_first_database()
    {
        using var other = new TempDatabase();
        await using ServiceProvider services = new ServiceCollection()
            .AddActivityLog(log => log.UseSqlite(_database.ConnectionString).UseSqlite(other.ConnectionString))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await services.GetRequiredService<IActivityLogRepo>().AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "t")));

        using var first = new SqliteActivityLogRepo(_database.ConnectionString);
        using var second = new SqliteActivityLogRepo(other.ConnectionString);
        Assert.Empty(await first.GetByActorAsync(Alice));
        Assert.Single(await second.GetByActorAsync(Alice));
    }

    /// <summary>Records, at each after-append call, whether another connection can already see the record.</summary>
    private sealed class VisibilityProbe(EnlistTests test) : IAfterAppendHook
    {
        public List<bool> Visible { get; } = [];

        public async ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            Visible.Add(await test.CountAsync("SELECT count(*) FROM activity_records") == 1);
            return [];
        }
    }

    private sealed class ForeignTransaction : System.Data.Common.DbTransaction
    {
        public override System.Data.IsolationLevel IsolationLevel => System.Data.IsolationLevel.Serializable;

        protected override System.Data.Common.DbConnection? DbConnection => null;

        public override void Commit()
        {
        }

        public override void Rollback()
        {
        }
    }
}
