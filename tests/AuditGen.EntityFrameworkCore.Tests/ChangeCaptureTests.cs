using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// Every <c>SaveChanges</c> inside a logged use case's unit of work adds its entity changes to the use case's record,
/// on a real database of each kind; the records are read back from the store.
/// </summary>
public abstract class ChangeCaptureTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly ShopDatabase _database;

    protected ChangeCaptureTests(string provider) => _database = ShopDatabase.Create(provider);

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private ServiceProvider Services(
        Action<ActivityLogBuilder>? log = null, Action<EntityFrameworkCoreActivityLogOptions>? options = null, CommandCounter? commands = null)
    {
        ServiceProvider services = new ServiceCollection()
            .AddDbContext<CaptureContext>(o => CaptureContext.Configure(o, _database.Provider, _database.ConnectionString))
            .ConfigureDbContext<CaptureContext>(o => o.AddInterceptors(commands ?? new CommandCounter()))
            .AddActivityLog(l =>
            {
                l.UseEntityFrameworkCore<CaptureContext>(options);
                log?.Invoke(l);
            })
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using IServiceScope scope = services.CreateScope();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        db.Database.EnsureCreated();
        db.Database.MigrateActivityLogAsync().GetAwaiter().GetResult();
        return services;
    }

    private static ActivityRecord Record(string action = "edit_customer") => ActivityRecord.Create(Alice, Alice, action, new EntityRef("Customer", "x"));

    /// <summary>Runs <paramref name="work"/> as a logged use case would: in a unit of work on the scope's context, then its record.</summary>
    private static async Task LoggedAsync(ServiceProvider services, Func<CaptureContext, Task> work, ActivityRecord? record = null)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        await using ActivityTransaction transaction = await ActivityTransaction.BeginAsync(log);
        await work(db);
        await transaction.CompleteAsync(record ?? Record());
    }

    /// <summary>Writes outside any logged use case, in a scope of its own.</summary>
    private static async Task UnloggedAsync(ServiceProvider services, Func<CaptureContext, Task> work)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<CaptureContext>());
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

    private static async Task<int> SeedAsync(ServiceProvider services, string name = "Ada", string city = "Paris")
    {
        var customer = new Customer
        {
            Name = name,
            Email = "ada@example.com",
            Status = CustomerStatus.Prospect,
            PasswordHash = "seed-hash",
            Address = new Address { Street = "1 Rue", City = city },
            Balance = new Money { Amount = 10m, Currency = "EUR" },
        };
        await UnloggedAsync(services, async db =>
        {
            db.Customers.Add(customer);
            await db.SaveChangesAsync();
        });
        return customer.Id;
    }

    private static EntityChange ChangeOf(ActivityRecord record, string type, object id) =>
        Assert.Single(record.Changes, c => c.Entity == new EntityRef(type, Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture)!));

    private static PropertyChange Property(EntityChange change, string name) => Assert.Single(change.Properties, p => p.Name == name);

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

    [Fact]
    public async Task Two_saves_merge_per_entity_first_old_value_last_new_value()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);
        var added = new Customer { Name = "Draft", Email = "d@example.com" };
        var gone = new Customer { Name = "Temp", Email = "t@example.com" };

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            customer.Name = "B";
            customer.Visits = 1;
            db.Customers.AddRange(added, gone);
            await db.SaveChangesAsync();

            customer.Name = "C";
            customer.Visits = 0; // back to where it was: no change left
            added.Name = "Final";
            db.Customers.Remove(gone);
            await db.SaveChangesAsync();
        });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(new PropertyChange("Name", "Ada", "C"), Assert.Single(ChangeOf(record, "Customer", id).Properties));
        EntityChange addedChange = ChangeOf(record, "Customer", added.Id);
        Assert.Equal(EntityChangeKind.Added, addedChange.Kind);
        Assert.Equal(new PropertyChange("Name", null, "Final"), Property(addedChange, "Name"));
        Assert.DoesNotContain(record.Changes, c => c.Entity.EntityId == gone.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2, record.Changes.Count);
    }

    [Fact]
    public async Task A_use_case_that_throws_records_nothing_and_rolls_back()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await Assert.ThrowsAsync<InvalidOperationException>(() => LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Never";
            await db.SaveChangesAsync();
            throw new InvalidOperationException("the use case failed");
        }));

        Assert.Empty(await StoredAsync(services));
        await UnloggedAsync(services, async db => Assert.Equal("Ada", (await db.Customers.SingleAsync(c => c.Id == id)).Name));

        // The next use case on a fresh scope records only its own change.
        await LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Email = "next@example.com";
            await db.SaveChangesAsync();
        });
        Assert.Equal("Email", Assert.Single(ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id).Properties).Name);
    }

    [Fact]
    public async Task A_vetoed_record_records_nothing_and_rolls_back()
    {
        await using ServiceProvider services = Services(l => l.AddBeforeAppendHook<Veto>());
        int id = await SeedAsync(services);

        await Assert.ThrowsAsync<ActivityVetoedException>(() => LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Never";
            await db.SaveChangesAsync();
        }));

        Assert.Empty(await StoredAsync(services));
        await UnloggedAsync(services, async db => Assert.Equal("Ada", (await db.Customers.SingleAsync(c => c.Id == id)).Name));
    }

    [Fact]
    public async Task Before_append_hooks_see_the_captured_changes()
    {
        var seen = new SeenChanges();
        await using ServiceProvider services = Services(l => l.AddBeforeAppendHook(seen));
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Seen";
            await db.SaveChangesAsync();
        });

        Assert.Equal(new PropertyChange("Name", "Ada", "Seen"), Assert.Single(Assert.Single(seen.Changes!).Properties));
    }

    [Fact]
    public async Task Saves_outside_a_logged_use_case_record_nothing_and_are_not_captured()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await UnloggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Quiet";
            await db.SaveChangesAsync();
            Assert.False(DbContextChangeCapture.TryFind(db, out _));
        });

        Assert.Empty(await StoredAsync(services));
    }

    [Fact]
    public async Task The_capture_ends_with_the_unit_of_work()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        await using (ActivityTransaction transaction = await ActivityTransaction.BeginAsync(scope.ServiceProvider.GetRequiredService<IActivityLogRepo>()))
        {
            Assert.True(DbContextChangeCapture.TryFind(db, out _));
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Logged";
            await db.SaveChangesAsync();
            await transaction.CompleteAsync(Record());
        }

        Assert.False(DbContextChangeCapture.TryFind(db, out _));
        (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Later";
        await db.SaveChangesAsync(); // after the use case: not captured, no record

        Assert.Equal(new PropertyChange("Name", "Ada", "Logged"), Assert.Single(ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id).Properties));
    }

    [Fact]
    public async Task A_unit_of_work_that_joins_another_shares_its_capture_and_each_record_gets_what_was_saved_since_the_last()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
            CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            await using ActivityTransaction outer = await ActivityTransaction.BeginAsync(log);
            customer.Name = "Outer";
            await db.SaveChangesAsync();

            await using (ActivityTransaction inner = await ActivityTransaction.BeginAsync(log)) // joins the outer transaction
            {
                customer.Email = "inner@example.com";
                await db.SaveChangesAsync();
                await inner.CompleteAsync(Record("inner"));
            }

            Assert.True(DbContextChangeCapture.TryFind(db, out _)); // the inner one did not close the outer one's capture
            customer.Visits = 7;
            await db.SaveChangesAsync();
            await outer.CompleteAsync(Record("outer"));
        }

        List<ActivityRecord> records = await StoredAsync(services);
        EntityChange first = ChangeOf(Assert.Single(records, r => r.Action == "inner"), "Customer", id);
        Assert.Equal(["Email", "Name"], first.Properties.Select(p => p.Name)); // everything saved before the inner record
        EntityChange second = ChangeOf(Assert.Single(records, r => r.Action == "outer"), "Customer", id);
        Assert.Equal(new PropertyChange("Visits", 0, 7), Assert.Single(second.Properties));
    }

    [Fact]
    public async Task Changes_set_by_hand_are_kept_and_win_over_the_capture_of_the_same_entity()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);
        int other = await SeedAsync(services, "Bob");
        var byHand = new EntityChange(new EntityRef("Customer", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), EntityChangeKind.Modified,
            [new PropertyChange("Name", "Ada", "Countess")]);

        await LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Ada L.";
            (await db.Customers.SingleAsync(c => c.Id == other)).Name = "Robert";
            await db.SaveChangesAsync();
        }, Record() with { Changes = [byHand] });

        ActivityRecord record = Assert.Single(await StoredAsync(services));
        Assert.Equal(byHand, ChangeOf(record, "Customer", id));
        Assert.Equal(new PropertyChange("Name", "Bob", "Robert"), Assert.Single(ChangeOf(record, "Customer", other).Properties));
    }

    [Fact]
    public async Task Two_scopes_at_once_keep_their_captures_apart()
    {
        await using ServiceProvider services = Services();
        int first = await SeedAsync(services, "One");
        int second = await SeedAsync(services, "Two");

        await Task.WhenAll(
            Task.Run(() => LoggedAsync(services, async db =>
            {
                (await db.Customers.SingleAsync(c => c.Id == first)).Name = "One!";
                await Task.Delay(50);
                await db.SaveChangesAsync();
            }, Record("first"))),
            Task.Run(() => LoggedAsync(services, async db =>
            {
                (await db.Customers.SingleAsync(c => c.Id == second)).Name = "Two!";
                await Task.Delay(50);
                await db.SaveChangesAsync();
            }, Record("second"))));

        List<ActivityRecord> records = await StoredAsync(services);
        Assert.Equal(new PropertyChange("Name", "One", "One!"), Assert.Single(ChangeOf(Assert.Single(records, r => r.Action == "first"), "Customer", first).Properties));
        Assert.Equal(new PropertyChange("Name", "Two", "Two!"), Assert.Single(ChangeOf(Assert.Single(records, r => r.Action == "second"), "Customer", second).Properties));
        Assert.All(records, r => Assert.Single(r.Changes));
    }

    [Fact]
    public async Task The_synchronous_SaveChanges_is_captured_too()
    {
        await using ServiceProvider services = Services();
        int id = await SeedAsync(services);

        await LoggedAsync(services, db =>
        {
            db.Customers.Single(c => c.Id == id).Email = "sync@example.com";
            db.SaveChanges();
            return Task.CompletedTask;
        });

        Assert.Equal(new PropertyChange("Email", "ada@example.com", "sync@example.com"),
            Assert.Single(ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id).Properties));
    }

    [Fact]
    public async Task Sensitive_values_are_withheld_long_ones_cut_and_binary_ones_recorded_as_their_digest()
    {
        await using ServiceProvider services = Services(options: o => o.Changes.MaxValueLength = 100);
        int id = await SeedAsync(services);
        const string Secret = "hunter2-S3CR3T-VALUE";
        string bio = new string('b', 150);
        byte[] photo = [1, 2, 3, 4];

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            customer.PasswordHash = Secret;
            customer.Notes = Secret + "-notes";
            customer.Bio = bio;
            customer.Photo = photo;
            customer.Email = "changed@example.com"; // the old email stays only in the log: the scan's control
            await db.SaveChangesAsync();
        });

        EntityChange change = ChangeOf(Assert.Single(await StoredAsync(services)), "Customer", id);
        Assert.Equal(PropertyChange.WithheldChange("PasswordHash"), Property(change, "PasswordHash")); // by name
        Assert.Equal(PropertyChange.WithheldChange("Notes"), Property(change, "Notes")); // [NotAudited]
        Assert.Equal(new PropertyChange("Bio", null, bio[..100]) { Truncated = true }, Property(change, "Bio"));
        Assert.Equal(new PropertyChange("Photo", null, $"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(photo))} (4 bytes)"),
            Property(change, "Photo"));

        if (_database.Provider == "sqlite")
        {
            // Overwrite the application's copy, then rewrite the file so no stale page keeps it: what is left is the log's.
            await UnloggedAsync(services, async db => await db.Database.ExecuteSqlRawAsync("UPDATE customers SET PasswordHash = 'x', Notes = 'x'"));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString))
            {
                await connection.OpenAsync();
                await using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
                await command.ExecuteNonQueryAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            string file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_database.ConnectionString).DataSource;
            byte[] bytes = [.. new[] { file, file + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes)];
            Assert.True(bytes.AsSpan().IndexOf("ada@example.com"u8) >= 0); // the scan sees the log's values
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0);
        }
        else
        {
            Assert.True(await LogTableContainsAsync(services, "ada@example.com"));
            Assert.False(await LogTableContainsAsync(services, Secret));
        }
    }

    [Fact]
    public async Task Personal_properties_are_stored_sealed_under_the_owner_open_while_the_key_exists_and_read_as_erased_after()
    {
        const string Secret = "ada-personal-7f3e@example.org";
        await using ServiceProvider services = Services(options: o => o.Changes.PersonalDataNames.Add("Customer.Email"));
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            Customer customer = await db.Customers.SingleAsync(c => c.Id == id);
            customer.Email = Secret;
            customer.Visits = 1;
            await db.SaveChangesAsync();
        }, ActivityRecord.Create(Alice, Alice, "edit_customer", new EntityRef("Customer", "x"),
            new Dictionary<string, object?> { ["email"] = new PersonalValue(Alice, Secret) }));

        // Stored sealed under the owner's key (the record's owner is the default subject); what is not personal stays clear.
        ActivityRecord stored = Assert.Single(await StoredAsync(services));
        EntityChange change = ChangeOf(stored, "Customer", id);
        Assert.Equal(Alice, Assert.IsType<SealedValue>(Property(change, "Email").OldValue).SubjectId);
        Assert.Equal(Alice, Assert.IsType<SealedValue>(Property(change, "Email").NewValue).SubjectId);
        Assert.Equal(new PropertyChange("Visits", 0, 1), Property(change, "Visits"));
        Assert.IsType<SealedValue>(stored.Metadata["email"]);
        if (_database.Provider == "sqlite")
        {
            // Overwrite the application's copy, then rewrite the file so no stale page keeps it: what is left is the log's.
            await UnloggedAsync(services, async db => await db.Database.ExecuteSqlRawAsync("UPDATE customers SET Email = 'x'"));
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString))
            {
                await connection.OpenAsync();
                await using Microsoft.Data.Sqlite.SqliteCommand command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
                await command.ExecuteNonQueryAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            string file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(_database.ConnectionString).DataSource;
            byte[] bytes = [.. new[] { file, file + "-wal" }.Where(File.Exists).SelectMany(File.ReadAllBytes)];
            Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(Secret)) < 0);
        }
        else
        {
            Assert.False(await LogTableContainsAsync(services, Secret));
        }

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            ActivitySubjectKeys keys = scope.ServiceProvider.GetRequiredService<ActivitySubjectKeys>();
            ActivityRecord open = await keys.UnsealAsync(stored);
            Assert.Equal(new PropertyChange("Email", new PersonalValue(Alice, "ada@example.com"), new PersonalValue(Alice, Secret)),
                Property(ChangeOf(open, "Customer", id), "Email"));
            Assert.Equal(new PersonalValue(Alice, Secret), open.Metadata["email"]);

            // Erasure deletes the key beside the log (the EF store's database) and records itself; the record stays.
            ActivityRecord erasure = await keys.EraseSubjectAsync(Alice, "article 17 request", Alice);
            Assert.Equal(3L, Convert.ToInt64(erasure.Metadata["valuesErased"], System.Globalization.CultureInfo.InvariantCulture));
        }

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            ActivityRecord erased = await scope.ServiceProvider.GetRequiredService<ActivitySubjectKeys>().UnsealAsync(stored);
            Assert.Equal(new ErasedValue(Alice), Property(ChangeOf(erased, "Customer", id), "Email").NewValue);
            Assert.Equal(new ErasedValue(Alice), erased.Metadata["email"]);
            Assert.Equal(2, (await StoredAsync(services)).Count);
        }
    }

    [Fact]
    public async Task A_subject_key_made_in_a_unit_of_work_that_rolls_back_never_seals_a_later_value()
    {
        await using ServiceProvider services = Services();
        ActivityRecord existing = Record();
        await LoggedAsync(services, _ => Task.CompletedTask, existing);
        Guid subject = Guid.NewGuid();

        await using AsyncServiceScope scope = services.CreateAsyncScope(); // one scope: one ActivityLog and its key cache
        IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
        await using (ActivityTransaction failing = await ActivityTransaction.BeginAsync(log))
        {
            // The subject's first personal value makes its key; the record repeats a stored RecordId, so the append fails
            // after sealing and the transaction (with the key, on SQLite) rolls back.
            ActivityRecord repeated = existing with { Metadata = new Dictionary<string, object?> { ["email"] = new PersonalValue(subject, "first@example.org") } };
            await Assert.ThrowsAnyAsync<ArgumentException>(async () => await failing.CompleteAsync(repeated));
        }

        ActivityRecord later = ActivityRecord.Create(Alice, subject, "edit_customer", new EntityRef("Customer", "x"),
            new Dictionary<string, object?> { ["email"] = new PersonalValue(subject, "later@example.org") });
        await using (ActivityTransaction next = await ActivityTransaction.BeginAsync(log))
        {
            await next.CompleteAsync(later);
        }

        // Sealed under a key that exists: it opens (a rolled-back key would read as erased, the value lost).
        ActivityRecord stored = (await StoredAsync(services)).Single(r => r.RecordId == later.RecordId);
        ActivitySubjectKeys keys = scope.ServiceProvider.GetRequiredService<ActivitySubjectKeys>();
        Assert.Equal(new PersonalValue(subject, "later@example.org"), (await keys.UnsealAsync(stored)).Metadata["email"]);
        keys.Forget();
        Assert.Equal(new PersonalValue(subject, "later@example.org"), (await keys.UnsealAsync(stored)).Metadata["email"]);
    }

    /// <summary>Whether any column of any row of the log's table, as text, contains <paramref name="value"/> (PostgreSQL).</summary>
    private static async Task<bool> LogTableContainsAsync(ServiceProvider services, string value)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        return await db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM auditgen.activity_records r WHERE strpos(r::text, {0}) > 0", value)
            .SingleAsync() > 0;
    }

    [Fact]
    public void Invalid_capture_settings_are_refused_naming_the_setting()
    {
        ArgumentException length = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddActivityLog(l => l.UseEntityFrameworkCore<CaptureContext>(o => o.Changes.MaxValueLength = 0)));
        Assert.Contains("MaxValueLength", length.Message, StringComparison.Ordinal);

        ArgumentException names = Assert.Throws<ArgumentException>(() =>
            new ServiceCollection().AddActivityLog(l => l.UseEntityFrameworkCore<CaptureContext>(o => o.Changes.SensitiveNames.Add(" _ "))));
        Assert.Contains("SensitiveNames[10]", names.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_capture_off_records_carry_no_changes()
    {
        await using ServiceProvider services = Services(options: o => o.Changes.Enabled = false);
        int id = await SeedAsync(services);

        await LoggedAsync(services, async db =>
        {
            (await db.Customers.SingleAsync(c => c.Id == id)).Name = "Off";
            await db.SaveChangesAsync();
        });

        Assert.Empty(Assert.Single(await StoredAsync(services)).Changes);
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

    /// <summary>Counts the commands EF Core executes.</summary>
    private sealed class CommandCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
    {
        private int _count;

        public int Count => _count;

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> NonQueryExecutingAsync(
            System.Data.Common.DbCommand command, Microsoft.EntityFrameworkCore.Diagnostics.CommandEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class Veto : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(BeforeAppendDecision.Veto("embargoed"));
    }

    private sealed class SeenChanges : IBeforeAppendHook
    {
        public IReadOnlyList<EntityChange>? Changes { get; private set; }

        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            Changes = record.Changes;
            return ValueTask.FromResult(BeforeAppendDecision.Continue);
        }
    }
}

public sealed class SqliteChangeCaptureTests() : ChangeCaptureTests("sqlite");

public sealed class PostgreSqlChangeCaptureTests() : ChangeCaptureTests("postgres");
