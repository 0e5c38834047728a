using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// An update's new values come back from the write itself (<c>UPDATE … RETURNING</c>), not from a second read: the
/// commands the database receives, the values as the database computed them (a setter that reads the row, a converted
/// enum, a decimal in a complex property), and the read by key that still serves a command the capture cannot rewrite.
/// </summary>
public abstract partial class BulkWriteCaptureTests
{
    [Fact]
    public async Task An_update_returns_its_new_values_from_the_write_itself_and_reads_the_table_once()
    {
        var commands = new CommandRecorder();
        await using ServiceProvider services = Services(interceptor: commands);
        int[] ids = await SeedCustomersAsync(services, 3);
        await UnloggedAsync(services, db => db.Customers.ExecuteUpdateAsync(s => s.SetProperty(c => c.Bio, "was")));

        commands.Clear();
        await LoggedAsync(services, async db => await db.Customers.Where(c => c.Visits >= 1).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Bio, (string?)null) // a NULL returned by the write
            .SetProperty(c => c.Visits, c => c.Visits * 10 + 1)
            .SetProperty(c => c.Status, CustomerStatus.Suspended)
            .SetProperty(c => c.Balance.Amount, c => c.Balance.Amount + 2.5m)));

        // One read of the rows before (keys, old values), then the update returning the new ones: no read after it.
        string[] customers = [.. commands.Texts.Where(t => t.Contains("customers", StringComparison.Ordinal) && !t.Contains("activity", StringComparison.Ordinal))];
        Assert.Equal(2, customers.Length);
        Assert.StartsWith("SELECT", customers[0].TrimStart(), StringComparison.Ordinal);
        Assert.Contains("RETURNING", customers[1], StringComparison.Ordinal);

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(2, record.Changes.Count);
        for (int i = 1; i <= 2; i++)
        {
            Assert.Equal(
                [
                    new PropertyChange("Balance.Amount", 0m, 2.5m), new PropertyChange("Bio", "was", null),
                    new PropertyChange("Status", "Prospect", "Suspended"), new PropertyChange("Visits", i, (i * 10) + 1),
                ],
                ChangeOf(record, "Customer", ids[i]).Properties.OrderBy(p => p.Name, StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("/* traced */ ", "")] // a comment before the statement, as SQL commenters add: not an UPDATE it recognises
    [InlineData("", ";")] // a statement terminator: a RETURNING after it would be a statement of its own
    public async Task An_update_the_capture_cannot_rewrite_still_records_its_new_values_read_by_key(string prefix, string suffix)
    {
        // An application interceptor that changes every command before it runs: the write runs as the application made
        // it, and the new values are read after it.
        var commands = new CommandRecorder(prefix, suffix);
        await using ServiceProvider services = Services(interceptor: commands);
        int[] ids = await SeedInvoicesAsync(services, 2);

        commands.Clear();
        int updated = 0;
        await LoggedAsync(services, async db => updated = await db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, i => i.Number + "-X")));

        Assert.Equal(2, updated);
        string[] invoices = [.. commands.Texts.Where(t => t.Contains("invoices", StringComparison.Ordinal))];
        Assert.Equal(3, invoices.Length); // read before, the update, read after
        Assert.DoesNotContain(invoices, t => t.Contains("RETURNING", StringComparison.Ordinal));
        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(new PropertyChange("Number", "INV-1", "INV-1-X"), Assert.Single(ChangeOf(record, "Invoice", ids[1]).Properties));
    }

    [Fact]
    public async Task An_update_the_database_refuses_fails_as_its_own_error_and_records_nothing()
    {
        await using ServiceProvider services = Services();
        await SeedInvoicesAsync(services, 2);

        // Number is NOT NULL: the rewritten statement fails in the database, as the statement EF Core built would.
        await Assert.ThrowsAnyAsync<DbException>(() => LoggedAsync(services, async db =>
            await db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, (string)null!))));

        Assert.Empty(await StoredAsync(services));
        Assert.Equal(["INV-0", "INV-1"], await UnloggedAsync(services, db => db.Invoices.OrderBy(i => i.Id).Select(i => i.Number).ToListAsync()));
    }

    [Fact]
    public async Task An_update_filtered_through_a_join_returns_only_its_own_tables_rows()
    {
        // UPDATE … FROM customers: both tables have an "Id" column, so the returned columns must name the updated table's.
        await using ServiceProvider services = Services();
        await SeedCustomersAsync(services, 2);
        int[] invoices = await UnloggedAsync(services, async db =>
        {
            Customer[] owners = await db.Customers.OrderBy(c => c.Id).ToArrayAsync();
            Invoice[] made = [new Invoice { Number = "A-1", Customer = owners[0] }, new Invoice { Number = "A-2", Customer = owners[0] }, new Invoice { Number = "B-1", Customer = owners[1] }];
            db.Invoices.AddRange(made);
            await db.SaveChangesAsync();
            return made.Select(i => i.Id).ToArray();
        });

        await LoggedAsync(services, async db => await db.Invoices
            .Where(i => i.Customer!.Name == "C0")
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, i => i.Number + "-X")));

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal([$"Invoice#{invoices[0]}", $"Invoice#{invoices[1]}"], record.Changes.Select(c => c.Entity.ToString()).Order());
        Assert.Equal(new PropertyChange("Number", "A-2", "A-2-X"), Assert.Single(ChangeOf(record, "Invoice", invoices[1]).Properties));
    }

    [Fact]
    public async Task An_update_of_rows_with_a_composite_key_names_each_by_both_key_values()
    {
        await using ServiceProvider services = Services();
        await UnloggedAsync(services, async db =>
        {
            db.StockLevels.AddRange(
                new StockLevel { Warehouse = "north", ProductId = 1, Quantity = 5 },
                new StockLevel { Warehouse = "north", ProductId = 2, Quantity = 7 },
                new StockLevel { Warehouse = "south", ProductId = 1, Quantity = 9 });
            return await db.SaveChangesAsync();
        });

        await LoggedAsync(services, async db => await db.StockLevels.Where(s => s.ProductId == 1).ExecuteUpdateAsync(s => s.SetProperty(x => x.Quantity, x => x.Quantity - 1)));

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(2, record.Changes.Count);
        Assert.All(record.Changes, c => Assert.Equal("StockLevel", c.Entity.EntityType));
        Assert.Equal(
            [new PropertyChange("Quantity", 5, 4), new PropertyChange("Quantity", 9, 8)],
            record.Changes.OrderBy(c => c.Entity.EntityId, StringComparer.Ordinal).Select(c => Assert.Single(c.Properties)));
        Assert.Equal(2, record.Changes.Select(c => c.Entity.EntityId).Distinct().Count());
    }

    /// <summary>Records the text of every command as it is sent; wraps each in <c>prefix</c> and <c>suffix</c> once EF Core has built it.</summary>
    private sealed class CommandRecorder(string prefix = "", string suffix = "") : DbCommandInterceptor
    {
        private readonly List<string> _texts = [];

        public IReadOnlyList<string> Texts
        {
            get
            {
                lock (_texts)
                {
                    return [.. _texts];
                }
            }
        }

        public void Clear()
        {
            lock (_texts)
            {
                _texts.Clear();
            }
        }

        public override DbCommand CommandInitialized(CommandEndEventData eventData, DbCommand result)
        {
            result.CommandText = prefix + result.CommandText + suffix;
            return result;
        }

        public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Add(command);

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) => Add(command, result);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Add(command, result));

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Add(command, result);

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Add(command, result));

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Add(command, result);

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Add(command, result));

        private T Add<T>(DbCommand command, T result)
        {
            Add(command);
            return result;
        }

        private void Add(DbCommand command)
        {
            lock (_texts)
            {
                _texts.Add(command.CommandText);
            }
        }
    }
}
