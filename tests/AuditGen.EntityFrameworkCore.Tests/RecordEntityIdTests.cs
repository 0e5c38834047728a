using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>Adds invoices; returns nothing, takes no id: the record's entity id is the key the database generates.</summary>
public sealed partial class IssueInvoices(CaptureContext db, IActivityLogRepo log)
{
    [LogsActivity("issue_invoice", EntityType = "Invoice")]
    public async Task ExecuteAsync(Guid actorId, string number, int count = 1)
    {
        for (int i = 0; i < count; i++)
        {
            db.Invoices.Add(new Invoice { Number = count == 1 ? number : $"{number}-{i}" });
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The record names the entity "Bill", the model "Invoice".</summary>
    [LogsActivity("issue_bill", EntityType = "Bill")]
    public async Task BillAsync(Guid actorId, string number)
    {
        db.Invoices.Add(new Invoice { Number = number });
        await db.SaveChangesAsync();
    }

    /// <summary>Returns the id: the record says <c>Bill#id</c>, and its change of <c>Invoice#id</c> is named so.</summary>
    [LogsActivity("issue_returned_bill", EntityType = "Bill")]
    public async Task<int> ReturnedBillAsync(Guid actorId, string number)
    {
        var invoice = new Invoice { Number = number };
        db.Invoices.Add(invoice);
        await db.SaveChangesAsync();
        return invoice.Id;
    }

    /// <summary>Adds an invoice and a customer that get the same id (1 on a fresh database): which one is the Bill is not known.</summary>
    [LogsActivity("issue_bill_with_customer", EntityType = "Bill")]
    public async Task<int> BillWithCustomerAsync(Guid actorId, string number)
    {
        var invoice = new Invoice { Number = number };
        db.Invoices.Add(invoice);
        db.Customers.Add(new Customer { Name = "New", Address = new Address() });
        await db.SaveChangesAsync();
        return invoice.Id;
    }
}

/// <summary>
/// The record's own entity: its id taken from a database-generated key when the use case names none, and its change named
/// as the record names the entity; on a real database of each kind, through the generated interceptors.
/// </summary>
public abstract class RecordEntityIdTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly ShopDatabase _database;
    private readonly ServiceProvider _services;

    protected RecordEntityIdTests(string provider)
    {
        _database = ShopDatabase.Create(provider);
        _services = new ServiceCollection()
            .AddDbContext<CaptureContext>(o => CaptureContext.Configure(o, _database.Provider, _database.ConnectionString))
            .AddActivityLog(l => l.UseEntityFrameworkCore<CaptureContext>())
            .BuildServiceProvider();
        using IServiceScope scope = _services.CreateScope();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        db.Database.EnsureCreated();
        db.Database.MigrateActivityLogAsync().GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        _services.Dispose();
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<T> RunAsync<T>(Func<IssueInvoices, Task<T>> run)
    {
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        return await run(new IssueInvoices(scope.ServiceProvider.GetRequiredService<CaptureContext>(), scope.ServiceProvider.GetRequiredService<IActivityLogRepo>()));
    }

    private Task RunAsync(Func<IssueInvoices, Task> run) => RunAsync(async u =>
    {
        await run(u);
        return 0;
    });

    private async Task<List<ActivityRecord>> StoredAsync()
    {
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        var records = new List<ActivityRecord>();
        await foreach (ActivityRecord r in scope.ServiceProvider.GetRequiredService<IActivityLogRepo>().StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst }))
        {
            records.Add(r);
        }

        return records;
    }

    private async Task<List<int>> InvoiceIdsAsync()
    {
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CaptureContext>().Invoices.OrderBy(i => i.Id).Select(i => i.Id).ToListAsync();
    }

    private static string Text(int id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_use_case_that_names_no_id_records_the_key_the_database_generated_for_the_entity_it_added()
    {
        await RunAsync(u => u.ExecuteAsync(Alice, "INV-1"));
        await RunAsync(u => u.ExecuteAsync(Alice, "INV-2"));

        List<int> ids = await InvoiceIdsAsync();
        List<ActivityRecord> records = await StoredAsync();
        Assert.Equal([new EntityRef("Invoice", Text(ids[0])), new EntityRef("Invoice", Text(ids[1]))], records.Select(r => r.EntityRef));
        Assert.Equal(new EntityRef("Invoice", Text(ids[1])), Assert.Single(records[1].Changes).Entity);
    }

    [Fact]
    public async Task The_generated_key_of_an_entity_the_model_names_otherwise_becomes_the_id_of_the_records_entity()
    {
        await RunAsync(u => u.BillAsync(Alice, "INV-1"));

        int id = Assert.Single(await InvoiceIdsAsync());
        ActivityRecord record = Assert.Single(await StoredAsync());
        Assert.Equal(new EntityRef("Bill", Text(id)), record.EntityRef);
        Assert.Equal(new EntityRef("Bill", Text(id)), Assert.Single(record.Changes).Entity); // named as the record names it
    }

    [Fact]
    public async Task A_use_case_that_names_no_id_and_adds_two_entities_of_the_type_fails_and_records_nothing()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(u => u.ExecuteAsync(Alice, "INV", count: 2)));

        Assert.Contains("added 2 entities of type Invoice", error.Message);
        Assert.Empty(await StoredAsync());
        Assert.Empty(await InvoiceIdsAsync()); // rolled back with the record
    }

    [Fact]
    public async Task The_record_names_its_own_entity_as_the_record_names_it_when_one_captured_entity_has_its_id()
    {
        int id = await RunAsync(u => u.ReturnedBillAsync(Alice, "INV-1"));

        ActivityRecord record = Assert.Single(await StoredAsync());
        Assert.Equal(new EntityRef("Bill", Text(id)), record.EntityRef);
        Assert.Equal(new EntityRef("Bill", Text(id)), Assert.Single(record.Changes).Entity);
    }

    [Fact]
    public async Task When_two_captured_entities_have_the_records_id_neither_is_renamed()
    {
        int id = await RunAsync(u => u.BillWithCustomerAsync(Alice, "INV-1"));

        ActivityRecord record = Assert.Single(await StoredAsync());
        Assert.Equal(Text(id), record.Changes.Single(c => c.Entity.EntityType == "Customer").Entity.EntityId); // both got id 1
        Assert.Equal(
            [new EntityRef("Customer", Text(id)), new EntityRef("Invoice", Text(id))],
            record.Changes.Select(c => c.Entity).OrderBy(e => e.EntityType, StringComparer.Ordinal));
    }
}

public sealed class SqliteRecordEntityIdTests() : RecordEntityIdTests("sqlite");

public sealed class PostgreSqlRecordEntityIdTests() : RecordEntityIdTests("postgres");
