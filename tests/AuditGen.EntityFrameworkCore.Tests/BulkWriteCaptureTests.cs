using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// Suspends the customers of a city with one <c>ExecuteUpdateAsync</c>: a logged use case whose direct call the generator
/// intercepts, and whose bulk write it intercepts too.
/// </summary>
public sealed partial class SuspendCustomers(CaptureContext db, IActivityLogRepo log)
{
    [LogsActivity("suspend_customers", EntityType = "City")]
#pragma warning disable AUD1003 // the record lists each suspended customer: the EF Core store captures the bulk write
    public async Task<int> ExecuteAsync(Guid actorId, [EntityId] string city, CancellationToken cancellationToken = default) =>
        await db.Customers
            .Where(c => c.Address.City == city && c.Status != CustomerStatus.Suspended)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CustomerStatus.Suspended).SetProperty(c => c.Visits, c => c.Visits + 1), cancellationToken);
#pragma warning restore AUD1003
}

/// <summary>
/// <c>ExecuteUpdate</c> and <c>ExecuteDelete</c> inside a logged use case add their affected entities to its record, through
/// the generated interceptors of this project's call sites, on a real database of each kind.
/// </summary>
public abstract partial class BulkWriteCaptureTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly ShopDatabase _database;

    protected BulkWriteCaptureTests(string provider) => _database = ShopDatabase.Create(provider);

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <param name="options">The EF Core store's options.</param>
    /// <param name="interceptor">An interceptor of the application's own, added where it registers its context.</param>
    private ServiceProvider Services(Action<EntityFrameworkCoreActivityLogOptions>? options = null, IInterceptor? interceptor = null)
    {
        ServiceProvider services = new ServiceCollection()
            .AddDbContext<CaptureContext>(o =>
            {
                CaptureContext.Configure(o, _database.Provider, _database.ConnectionString);
                if (interceptor is not null)
                {
                    o.AddInterceptors(interceptor);
                }
            })
            .AddActivityLog(l => l.UseEntityFrameworkCore<CaptureContext>(options))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using IServiceScope scope = services.CreateScope();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        db.Database.EnsureCreated();
        db.Database.MigrateActivityLogAsync().GetAwaiter().GetResult();
        return services;
    }

    private static async Task LoggedAsync(ServiceProvider services, Func<CaptureContext, Task> work)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        await using ActivityTransaction transaction = await ActivityTransaction.BeginAsync(log);
        await work(db);
        await transaction.CompleteAsync(ActivityRecord.Create(Alice, Alice, "bulk_edit", new EntityRef("Batch", "nightly")));
    }

    private static async Task<T> UnloggedAsync<T>(ServiceProvider services, Func<CaptureContext, Task<T>> work)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CaptureContext>());
    }

    private static async Task<List<ActivityRecord>> StoredAsync(ServiceProvider services)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        var records = new List<ActivityRecord>();
        await foreach (ActivityRecord r in scope.ServiceProvider.GetRequiredService<IActivityLogRepo>().StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst }))
        {
            records.Add(r);
        }

        return records;
    }

    /// <summary>Customers with 0, 1, 2… visits, in Paris, and their ids.</summary>
    private static Task<int[]> SeedCustomersAsync(ServiceProvider services, int count, string city = "Paris") => UnloggedAsync(services, async db =>
    {
        Customer[] customers = [.. Enumerable.Range(0, count).Select(i => new Customer
        {
            Name = $"C{i}",
            Email = $"c{i}@example.com",
            Visits = i,
            PasswordHash = "seed-hash",
            Notes = "seed-notes",
            Address = new Address { Street = "1 Rue", City = city },
        })];
        db.Customers.AddRange(customers);
        await db.SaveChangesAsync();
        return customers.Select(c => c.Id).ToArray();
    });

    private static Task<int[]> SeedInvoicesAsync(ServiceProvider services, int count) => UnloggedAsync(services, async db =>
    {
        Invoice[] invoices = [.. Enumerable.Range(0, count).Select(i => new Invoice { Number = $"INV-{i}" })];
        db.Invoices.AddRange(invoices);
        await db.SaveChangesAsync();
        return invoices.Select(c => c.Id).ToArray();
    });

    private static EntityChange ChangeOf(ActivityRecord record, string type, int id) =>
        Assert.Single(record.Changes, c => c.Entity == new EntityRef(type, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task An_update_records_each_rows_true_old_and_new_values_even_when_the_setter_reads_the_row_and_the_filter_no_longer_matches()
    {
        await using ServiceProvider services = Services();
        int[] ids = await SeedCustomersAsync(services, 3); // visits 0, 1, 2

        int updated = 0;
        await LoggedAsync(services, async db =>
            updated = await db.Customers
                .Where(c => c.Visits < 2) // after the update no row matches: new values come from the write (or a read by key)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Visits, c => c.Visits + 10).SetProperty(c => c.Status, CustomerStatus.Active)));

        Assert.Equal(2, updated);
        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(2, record.Changes.Count);
        for (int i = 0; i < 2; i++)
        {
            EntityChange change = ChangeOf(record, "Customer", ids[i]);
            Assert.Equal(EntityChangeKind.Modified, change.Kind);
            Assert.Equal(
                [new PropertyChange("Status", "Prospect", "Active"), new PropertyChange("Visits", i, i + 10)],
                change.Properties.OrderBy(p => p.Name, StringComparer.Ordinal));
        }

        Assert.Equal(11, await UnloggedAsync(services, db => db.Customers.Where(c => c.Id == ids[1]).Select(c => c.Visits).SingleAsync()));
    }

    [Fact]
    public async Task A_logged_use_case_records_its_bulk_update_through_both_generated_interceptors()
    {
        await using ServiceProvider services = Services();
        int[] paris = await SeedCustomersAsync(services, 2, "Paris");
        await SeedCustomersAsync(services, 1, "Lyon");

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var useCase = new SuspendCustomers(scope.ServiceProvider.GetRequiredService<CaptureContext>(), scope.ServiceProvider.GetRequiredService<IActivityLogRepo>());
            Assert.Equal(2, await useCase.ExecuteAsync(Alice, "Paris"));
        }

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(("suspend_customers", new EntityRef("City", "Paris")), (record.Action, record.EntityRef));
        Assert.Equal(paris.Select(id => $"Customer#{id}").Order(), record.Changes.Select(c => c.Entity.ToString()).Order());
        Assert.Contains(new PropertyChange("Status", "Prospect", "Suspended"), ChangeOf(record, "Customer", paris[1]).Properties);
        Assert.Contains(new PropertyChange("Visits", 1, 2), ChangeOf(record, "Customer", paris[1]).Properties);
    }

    [Fact]
    public async Task A_delete_records_each_row_as_deleted_with_its_old_values()
    {
        await using ServiceProvider services = Services();
        int[] ids = await SeedInvoicesAsync(services, 3);

        await LoggedAsync(services, async db => await db.Invoices.Where(i => i.Number != "INV-1").ExecuteDeleteAsync());

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(2, record.Changes.Count);
        EntityChange change = ChangeOf(record, "Invoice", ids[2]);
        Assert.Equal(EntityChangeKind.Deleted, change.Kind);
        Assert.Contains(new PropertyChange("Number", "INV-2", null), change.Properties);
        Assert.Contains(new PropertyChange("Id", ids[2], null), change.Properties);
        Assert.Contains(change.Properties, p => p.Name == "CustomerId"); // the shadow foreign key
        Assert.Equal(1, await UnloggedAsync(services, db => db.Invoices.CountAsync()));
    }

    [Fact]
    public async Task Synchronous_bulk_writes_are_captured_too()
    {
        await using ServiceProvider services = Services();
        int[] ids = await SeedInvoicesAsync(services, 2);

        await LoggedAsync(services, db =>
        {
            db.Invoices.Where(i => i.Id == ids[0]).ExecuteUpdate(s => s.SetProperty(i => i.Number, "INV-A"));
            db.Invoices.Where(i => i.Id == ids[1]).ExecuteDelete();
            return Task.CompletedTask;
        });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(new PropertyChange("Number", "INV-0", "INV-A"), Assert.Single(ChangeOf(record, "Invoice", ids[0]).Properties));
        Assert.Equal(EntityChangeKind.Deleted, ChangeOf(record, "Invoice", ids[1]).Kind);
    }

    [Fact]
    public async Task Sensitive_and_NotAudited_properties_set_in_bulk_are_recorded_withheld()
    {
        await using ServiceProvider services = Services();
        int id = (await SeedCustomersAsync(services, 1))[0];

        await LoggedAsync(services, async db => await db.Customers.ExecuteUpdateAsync(s =>
        {
            s.SetProperty(c => c.PasswordHash, "bulk-secret-hash");
            s.SetProperty(c => c.Notes, "bulk-secret-notes");
        }));

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(
            [PropertyChange.WithheldChange("Notes"), PropertyChange.WithheldChange("PasswordHash")],
            ChangeOf(record, "Customer", id).Properties.OrderBy(p => p.Name, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Setters_the_generator_cannot_read_are_compared_property_by_property()
    {
        await using ServiceProvider services = Services();
        int id = (await SeedCustomersAsync(services, 1))[0];
        Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Customer>> setters = s => s.SetProperty(c => c.Bio, "written elsewhere");

        await LoggedAsync(services, async db => await db.Customers.ExecuteUpdateAsync(setters));

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(new PropertyChange("Bio", null, "written elsewhere"), Assert.Single(ChangeOf(record, "Customer", id).Properties));
    }

    [Fact]
    public async Task Past_the_cap_the_record_lists_that_many_entities_and_says_how_many_changed_in_all()
    {
        await using ServiceProvider services = Services(o => o.Changes.MaxEntitiesPerRecord = 3);
        await SeedInvoicesAsync(services, 5);

        await LoggedAsync(services, async db => await db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, i => i.Number + "-X")));

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(3, record.Changes.Count);
        Assert.Equal(true, record.Metadata[ChangeCaptureOptions.TruncatedKey]);
        Assert.Equal(5, Convert.ToInt32(record.Metadata[ChangeCaptureOptions.TotalKey], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(5, await UnloggedAsync(services, db => db.Invoices.CountAsync(i => i.Number.EndsWith("-X"))));
    }

    [Fact]
    public async Task Under_the_cap_a_record_carries_no_truncation_marks()
    {
        await using ServiceProvider services = Services(o => o.Changes.MaxEntitiesPerRecord = 5);
        await SeedInvoicesAsync(services, 5);

        await LoggedAsync(services, async db => await db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, i => i.Number + "-X")));

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(5, record.Changes.Count);
        Assert.Empty(record.Metadata);
    }

    [Fact]
    public async Task Outside_a_logged_use_case_a_bulk_write_runs_untouched_and_records_nothing()
    {
        await using ServiceProvider services = Services();
        int[] ids = await SeedInvoicesAsync(services, 2);

        int updated = await UnloggedAsync(services, db => db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, "same")));
        int deleted = await UnloggedAsync(services, db => db.Invoices.Where(i => i.Id == ids[0]).ExecuteDeleteAsync());

        Assert.Equal((2, 1), (updated, deleted));
        Assert.Empty(await StoredAsync(services));
    }

    [Fact]
    public async Task A_use_case_that_fails_after_its_bulk_write_rolls_it_back_and_records_nothing()
    {
        await using ServiceProvider services = Services();
        await SeedInvoicesAsync(services, 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => LoggedAsync(services, async db =>
        {
            await db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, "rolled-back"));
            await db.Invoices.ExecuteDeleteAsync();
            throw new InvalidOperationException("the use case fails");
        }));

        Assert.Empty(await StoredAsync(services));
        Assert.Equal(["INV-0", "INV-1"], await UnloggedAsync(services, db => db.Invoices.OrderBy(i => i.Id).Select(i => i.Number).ToListAsync()));
    }

    [Fact]
    public async Task A_bulk_write_and_a_save_of_the_same_entity_merge_into_one_change()
    {
        await using ServiceProvider services = Services();
        int id = (await SeedInvoicesAsync(services, 1))[0];

        await LoggedAsync(services, async db =>
        {
            await db.Invoices.ExecuteUpdateAsync(s => s.SetProperty(i => i.Number, "INV-B"));
            (await db.Invoices.SingleAsync(i => i.Id == id)).Number = "INV-C";
            await db.SaveChangesAsync();
        });

        Assert.Equal(new PropertyChange("Number", "INV-0", "INV-C"), Assert.Single(ChangeOf(Assert.Single(await StoredAsync(services)), "Invoice", id).Properties));
    }
}

public sealed class SqliteBulkWriteCaptureTests() : BulkWriteCaptureTests("sqlite");

public sealed class PostgreSqlBulkWriteCaptureTests() : BulkWriteCaptureTests("postgres");
