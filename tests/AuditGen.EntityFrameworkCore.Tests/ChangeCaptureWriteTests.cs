using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// What each kind of write records inside a logged use case's unit of work: loaded and disconnected updates (with the
/// reads a disconnected one costs), additions, deletions, and the shapes of entities (owned, many-to-many, shadow keys).
/// </summary>
public abstract class ChangeCaptureWriteTests(string provider) : ChangeCaptureTestBase(provider)
{
    [Fact]
    public async Task A_loaded_entity_records_only_its_changed_properties_with_old_and_new_values()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            customer.Name = "Ada Lovelace";
            customer.Email = "ada@lovelace.org";
            customer.Status = CustomerStatus.Active;
            customer.Visits = 3;
            customer.Address.City = "London";
            customer.Balance.Amount = 12.5m;
            await db.SaveChangesAsync();
        });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        EntityChange change = ChangeOf(record, "Customer", id);
        Assert.Equal(EntityChangeKind.Modified, change.Kind);
        Assert.Equal(["Address.City", "Balance.Amount", "Email", "Name", "Status", "Visits"], change.Properties.Select(p => p.Name));
        Assert.Equal(new PropertyChange("Name", "Ada", "Ada Lovelace"), Property(change, "Name"));
        Assert.Equal(new PropertyChange("Status", "Prospect", "Active"), Property(change, "Status")); // a converted enum, by name
        Assert.Equal(new PropertyChange("Address.City", "Paris", "London"), Property(change, "Address.City")); // owned
        Assert.Equal(new PropertyChange("Balance.Amount", 10m, 12.5m), Property(change, "Balance.Amount")); // complex
        Assert.Equal(new PropertyChange("Visits", 0, 3), Property(change, "Visits"));
    }

    [Fact]
    public async Task A_disconnected_update_records_the_true_old_values_read_in_the_transaction()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        // As a web API gets it: a whole entity built from the request, one field different from the database.
        var posted = new Customer
        {
            Id = id,
            Name = "Ada",
            Email = "ada@new.example",
            Status = CustomerStatus.Prospect,
            PasswordHash = "seed-hash",
            Address = new Address { Street = "1 Rue", City = "Lyon" },
            Balance = new Money { Amount = 10m, Currency = "EUR" },
        };
        await LoggedAsync(services, async db =>
        {
            db.Update(posted);
            await db.SaveChangesAsync();
        });

        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id);
        Assert.Equal(EntityChangeKind.Modified, change.Kind);
        Assert.Equal(["Address.City", "Email"], change.Properties.Select(p => p.Name));
        Assert.Equal(new PropertyChange("Email", "ada@example.com", "ada@new.example"), Property(change, "Email"));
        Assert.Equal(new PropertyChange("Address.City", "Paris", "Lyon"), Property(change, "Address.City"));
    }

    [Fact]
    public async Task Disconnected_updates_read_their_originals_with_queries_compiled_once_whatever_the_keys()
    {
        int compiled = 0;
        await using ServiceProvider services = Services(context: o => o.LogTo(
            _ => Interlocked.Increment(ref compiled), [CoreEventId.QueryCompilationStarting], Microsoft.Extensions.Logging.LogLevel.Debug));
        var invoices = new[] { new Invoice { Number = "A" }, new Invoice { Number = "B" }, new Invoice { Number = "C" } };
        await UnloggedAsync(services, async db =>
        {
            db.Invoices.AddRange(invoices);
            db.StockLevels.AddRange(
                new StockLevel { Warehouse = "north", ProductId = 1, Quantity = 10 },
                new StockLevel { Warehouse = "north", ProductId = 2, Quantity = 20 },
                new StockLevel { Warehouse = "south", ProductId = 1, Quantity = 30 });
            await db.SaveChangesAsync();
        });

        // One key column and a composite key, posted without loading, as a web API gets them; other keys every time.
        (string Warehouse, int ProductId)[] stock = [("north", 1), ("north", 2), ("south", 1)];
        int compiledByTheFirst = 0;
        for (int i = 0; i < 3; i++)
        {
            int round = i;
            await LoggedAsync(services, async db =>
            {
                db.Update(new Invoice { Id = invoices[round].Id, Number = invoices[round].Number + "2" });
                db.Update(new StockLevel { Warehouse = stock[round].Warehouse, ProductId = stock[round].ProductId, Quantity = 1 });
                await db.SaveChangesAsync();
            });
            compiledByTheFirst = i == 0 ? Volatile.Read(ref compiled) : compiledByTheFirst;
        }

        // Constants in the query (before: the composite key's values) made every other set of keys a query of its own.
        Assert.Equal(compiledByTheFirst, Volatile.Read(ref compiled));
        List<ActivityRecord> records = await StoredAsync(services);
        Assert.Equal(3, records.Count);
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(new PropertyChange("Number", invoices[i].Number, invoices[i].Number + "2"), Property(ChangeOf(records[i], "Invoice", invoices[i].Id), "Number"));
            Assert.Equal(new PropertyChange("Quantity", (i + 1) * 10, 1), Assert.Single(Assert.Single(records[i].Changes, c => c.Entity.EntityType == "StockLevel").Properties));
        }
    }

    [Theory]
    [InlineData(3)] // through the compiled query of short key lists
    [InlineData(70)] // more than BulkKeyRead.MaxKeys: through the query with the list as one parameter
    public async Task Many_disconnected_updates_in_one_save_read_their_originals_in_one_query(int count)
    {
        var commands = new CommandCounter();
        await using ServiceProvider services = Services(commands: commands);
        Invoice[] invoices = [.. Enumerable.Range(0, count).Select(i => new Invoice { Number = $"N{i}" })];
        await UnloggedAsync(services, async db =>
        {
            db.Invoices.AddRange(invoices);
            await db.SaveChangesAsync();
        });

        int before = commands.Count;
        await LoggedAsync(services, async db =>
        {
            db.UpdateRange(invoices.Select(i => new Invoice { Id = i.Id, Number = i.Number + "-posted" }));
            await db.SaveChangesAsync();
        });

        Assert.InRange(BulkKeyRead.MaxKeys, 3, 69); // the two cases take the two paths
        int saves = commands.Count - before;
        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(count, record.Changes.Count);
        foreach (Invoice invoice in invoices)
        {
            Assert.Equal(new PropertyChange("Number", invoice.Number, invoice.Number + "-posted"), Property(ChangeOf(record, "Invoice", invoice.Id), "Number"));
        }

        // The read of the originals is one command, whatever the count; the rest are the save's own (batched by EF Core).
        var plain = new CommandCounter();
        await using ServiceProvider unlogged = Services(options: o => o.Changes.Enabled = false, commands: plain);
        await UnloggedAsync(unlogged, async db =>
        {
            db.UpdateRange(invoices.Select(i => new Invoice { Id = i.Id, Number = i.Number + "-again" }));
            await db.SaveChangesAsync();
        });
        Assert.Equal(plain.Count + 1, saves);
    }

    [Fact]
    public async Task Several_disconnected_updates_of_one_type_record_each_ones_true_old_values()
    {
        await using ServiceProvider services = Services();
        int ada = await SeedAsync(services, "Ada");
        int grace = await SeedAsync(services, "Grace");

        await LoggedAsync(services, async db =>
        {
            db.UpdateRange(
                new Customer { Id = ada, Name = "Ada L.", Email = "ada@example.com", PasswordHash = "seed-hash", Address = new Address { Street = "1 Rue", City = "Paris" }, Balance = new Money { Amount = 10m } },
                new Customer { Id = grace, Name = "Grace", Email = "grace@new.example", PasswordHash = "seed-hash", Address = new Address { Street = "1 Rue", City = "Paris" }, Balance = new Money { Amount = 10m } });
            await db.SaveChangesAsync();
        });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(new PropertyChange("Name", "Ada", "Ada L."), Assert.Single(ChangeOf(record, "Customer", ada).Properties));
        Assert.Equal(new PropertyChange("Email", "ada@example.com", "grace@new.example"), Assert.Single(ChangeOf(record, "Customer", grace).Properties));
        Assert.Equal(2, record.Changes.Count);
    }

    [Fact]
    public async Task Attach_and_state_Modified_records_the_true_old_values()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            var posted = new Customer
            {
                Id = id,
                Name = "Grace",
                Email = "ada@example.com",
                PasswordHash = "seed-hash",
                Address = new Address { Street = "1 Rue", City = "Paris" },
                Balance = new Money { Amount = 10m, Currency = "EUR" },
            };
            db.Attach(posted).State = EntityState.Modified;
            await db.SaveChangesAsync();
        });

        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id);
        Assert.Equal(new PropertyChange("Name", "Ada", "Grace"), Assert.Single(change.Properties));
    }

    [Fact]
    public async Task An_added_entity_is_recorded_with_the_key_the_database_generated()
    {
        await using ServiceProvider services = Services();
        int seeded = await SeedAsync(services);
        var customer = new Customer { Name = "Alan", Email = "alan@example.com", Address = new Address { City = "Wilmslow" } };

        await LoggedAsync(services, async db =>
        {
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
        });

        Assert.Equal(seeded + 1, customer.Id);
        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", customer.Id);
        Assert.Equal(EntityChangeKind.Added, change.Kind);
        Assert.Equal(new PropertyChange("Id", null, customer.Id), Property(change, "Id"));
        Assert.Equal(new PropertyChange("Name", null, "Alan"), Property(change, "Name"));
        Assert.Equal(new PropertyChange("Address.City", null, "Wilmslow"), Property(change, "Address.City"));
        Assert.Equal(new PropertyChange("Balance.Currency", null, "EUR"), Property(change, "Balance.Currency"));
        Assert.Equal(new PropertyChange("Status", null, "Prospect"), Property(change, "Status"));
    }

    [Fact]
    public async Task A_deleted_entity_is_recorded_with_its_old_values()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            db.Customers.Remove(await db.Customers.SingleAsync(c => c.Id == id));
            await db.SaveChangesAsync();
        });

        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id);
        Assert.Equal(EntityChangeKind.Deleted, change.Kind);
        Assert.Equal(new PropertyChange("Name", "Ada", null), Property(change, "Name"));
        Assert.Equal(new PropertyChange("Address.City", "Paris", null), Property(change, "Address.City"));
    }

    [Fact]
    public async Task Many_to_many_links_are_recorded_on_both_ends_as_the_related_keys_linked_and_unlinked()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);
        var vip = new Tag { Label = "vip" };
        var late = new Tag { Label = "late" };
        await UnloggedAsync(services, async db =>
        {
            db.Tags.AddRange(vip, late);
            (await db.Customers.SingleAsync(c => c.Id == id)).Tags.Add(late);
            await db.SaveChangesAsync();
        });

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.Include(c => c.Tags).SingleAsync(c => c.Id == id);
            customer.Tags.Clear();
            customer.Tags.Add(await db.Tags.SingleAsync(t => t.Id == vip.Id));
            await db.SaveChangesAsync();
        });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        string vipId = vip.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string lateId = late.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string customerId = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(new PropertyChange("Tags", new[] { lateId }, new[] { vipId }), Assert.Single(ChangeOf(record, "Customer", id).Properties));
        Assert.Equal(new PropertyChange("Customers", null, new[] { customerId }), Assert.Single(ChangeOf(record, "Tag", vip.Id).Properties));
        Assert.Equal(new PropertyChange("Customers", new[] { customerId }, null), Assert.Single(ChangeOf(record, "Tag", late.Id).Properties));
        Assert.Equal(3, record.Changes.Count); // the join rows themselves are not entities of the record
    }

    [Fact]
    public async Task An_owned_collections_element_is_an_entity_of_its_own()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Phones.Add(new Phone { Number = "+33 1 23" });
            await db.SaveChangesAsync();
        });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        EntityChange phone = Assert.Single(record.Changes);
        Assert.Equal(("Phone", EntityChangeKind.Added), (phone.Entity.EntityType, phone.Kind));
        Assert.Equal(Assert.IsType<int>(Property(phone, "Id").NewValue).ToString(System.Globalization.CultureInfo.InvariantCulture), phone.Entity.EntityId);
        Assert.Equal(new PropertyChange("Number", null, "+33 1 23"), Property(phone, "Number"));
        Assert.Equal(new PropertyChange("CustomerId", null, id), Property(phone, "CustomerId"));
    }

    [Fact]
    public async Task A_shadow_foreign_key_is_recorded_under_its_name()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);
        var invoice = new Invoice { Number = "INV-1" };

        await LoggedAsync(services, async db =>
        {
            invoice.Customer = await db.Customers.SingleAsync(c => c.Id == id);
            db.Invoices.Add(invoice);
            await db.SaveChangesAsync();
        });

        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Invoice", invoice.Id);
        Assert.Equal(new PropertyChange("CustomerId", null, id), Property(change, "CustomerId"));
    }

    [Theory]
    [InlineData("loaded", 0)]
    [InlineData("disconnected invoice", 1)]
    [InlineData("disconnected customer", 2)] // the customer's row, and its owned address (owned types: one query per entry)
    [InlineData("three disconnected invoices", 1)] // one query per entity type, not per entity
    [InlineData("two disconnected customers and three invoices", 4)] // customers, invoices, and each customer's owned address
    public async Task Capture_reads_each_disconnected_entry_once_and_nothing_for_a_loaded_one(string shape, int extra)
    {
        var capturing = new CommandCounter();
        var notCapturing = new CommandCounter();
        int capturedSaves = await UpdateCountingAsync(Services(commands: capturing), capturing, shape);
        int plainSaves = await UpdateCountingAsync(Services(options: o => o.Changes.Enabled = false, commands: notCapturing), notCapturing, shape);

        Assert.Equal(plainSaves + extra, capturedSaves);
    }

    /// <summary>The commands EF Core sends for one logged update's SaveChanges (the log's own writes are not EF commands).</summary>
    private static async Task<int> UpdateCountingAsync(ServiceProvider services, CommandCounter commands, string shape)
    {
        await using (services)
        {
            int id = await SeedAsync(services);
            var invoice = new Invoice { Number = "INV-9" };
            Invoice[] more = [new Invoice { Number = "INV-7" }, new Invoice { Number = "INV-8" }];
            int other = await SeedAsync(services, "Grace");
            await UnloggedAsync(services, async db =>
            {
                db.Invoices.AddRange([invoice, .. more]);
                await db.SaveChangesAsync();
            });

            int count = 0;
            await LoggedAsync(services, async db =>
            {
                switch (shape)
                {
                    case "loaded":
                        (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Posted";
                        break;
                    case "disconnected invoice":
                        db.Update(new Invoice { Id = invoice.Id, Number = "INV-10" });
                        break;
                    case "three disconnected invoices":
                        db.UpdateRange(new Invoice { Id = invoice.Id, Number = "INV-10" }, new Invoice { Id = more[0].Id, Number = "INV-11" }, new Invoice { Id = more[1].Id, Number = "INV-12" });
                        break;
                    case "two disconnected customers and three invoices":
                        db.UpdateRange(new Invoice { Id = invoice.Id, Number = "INV-10" }, new Invoice { Id = more[0].Id, Number = "INV-11" }, new Invoice { Id = more[1].Id, Number = "INV-12" });
                        db.Update(new Customer { Id = id, Name = "Posted", Email = "ada@example.com", Address = new Address { City = "Paris" } });
                        db.Update(new Customer { Id = other, Name = "Posted too", Email = "ada@example.com", Address = new Address { City = "Paris" } });
                        break;
                    default:
                        db.Update(new Customer { Id = id, Name = "Posted", Email = "ada@example.com", Address = new Address { City = "Paris" } });
                        break;
                }

                int before = commands.Count;
                await db.SaveChangesAsync();
                count = commands.Count - before;
            });
            return count;
        }
    }
}

public sealed class SqliteChangeCaptureWriteTests() : ChangeCaptureWriteTests("sqlite");

public sealed class PostgreSqlChangeCaptureWriteTests() : ChangeCaptureWriteTests("postgres");
