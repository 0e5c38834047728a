using AuditGen.EntityFrameworkCore.Shop;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// A logged use case's change and its record commit together or not at all, through the generated decorators and
/// interceptors, on a real database of each kind.
/// </summary>
public abstract class TransactionalCaptureTests : IDisposable
{
    protected static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly ShopDatabase _database;
    private readonly FakeLogCollector _logs = new();

    protected TransactionalCaptureTests(string provider) => _database = ShopDatabase.Create(provider);

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    protected ServiceProvider Services(Action<ActivityLogBuilder>? log = null)
    {
        ServiceProvider services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(new FakeLoggerProvider(_logs)))
            .AddDbContext<ShopContext>(o => ShopContext.Configure(o, _database.Provider, _database.ConnectionString))
            .AddActivityLog(l =>
            {
                l.UseEntityFrameworkCore<ShopContext>();
                log?.Invoke(l);
            })
            .AddShopUseCases(ServiceLifetime.Scoped)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using IServiceScope scope = services.CreateScope();
        ShopContext.CreateAsync(scope.ServiceProvider.GetRequiredService<ShopContext>()).GetAwaiter().GetResult();
        return services;
    }

    /// <summary>What the database holds, read in a fresh scope: the orders and the records.</summary>
    protected static async Task<(List<Order> Orders, IReadOnlyList<ActivityRecord> Records)> StateAsync(ServiceProvider services)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        List<Order> orders = await scope.ServiceProvider.GetRequiredService<ShopContext>().Orders.AsNoTracking().ToListAsync();
        var records = new List<ActivityRecord>();
        await foreach (ActivityRecord r in scope.ServiceProvider.GetRequiredService<IActivityLogRepo>().StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst }))
        {
            records.Add(r);
        }

        return (orders, records);
    }

    [Fact]
    public async Task A_completed_use_case_commits_its_change_and_its_record_in_one_transaction()
    {
        await using ServiceProvider services = Services();
        Order order;
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            order = await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book");
            await scope.ServiceProvider.GetRequiredService<IShipOrder>().ExecuteAsync(Alice, order.Id);
            Assert.True(scope.ServiceProvider.GetRequiredService<ActivityLog>().JoinsTransactions);
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.True(Assert.Single(orders).Shipped);
        Assert.Equal(["place_order", "ship_order"], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal(new EntityRef("Order", order.Id), r.EntityRef));
        Assert.Equal("book", records[0].Metadata["item"]);

        // The generated code's unit of work carries each use case's SaveChanges into its record.
        EntityChange placed = Assert.Single(records[0].Changes);
        Assert.Equal((new EntityRef("Order", order.Id), EntityChangeKind.Added), (placed.Entity, placed.Kind));
        Assert.Contains(new PropertyChange("Item", null, "book"), placed.Properties);
        EntityChange shipped = Assert.Single(records[1].Changes);
        Assert.Equal((new EntityRef("Order", order.Id), EntityChangeKind.Modified), (shipped.Entity, shipped.Kind));
        Assert.Equal(new PropertyChange("Shipped", false, true), Assert.Single(shipped.Properties));
    }

    [Fact]
    public async Task A_use_case_that_throws_after_SaveChanges_leaves_neither_change_nor_record()
    {
        await using ServiceProvider services = Services();
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var useCase = (PlaceOrder)scope.ServiceProvider.GetRequiredService<PlaceOrder>();
            useCase.AfterSave = _ => throw new InvalidOperationException("payment declined");
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
            Assert.Equal("payment declined", ex.Message); // unchanged
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Empty(orders);
        Assert.Empty(records);
    }

    [Fact]
    public async Task Concurrent_logged_use_cases_each_commit_their_change_and_record_after_a_failed_one_gave_its_turn_back()
    {
        await using ServiceProvider services = Services();
        await using (AsyncServiceScope failing = services.CreateAsyncScope())
        {
            var useCase = (PlaceOrder)failing.ServiceProvider.GetRequiredService<PlaceOrder>();
            useCase.AfterSave = _ => throw new InvalidOperationException("payment declined");
            await Assert.ThrowsAsync<InvalidOperationException>(() => failing.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
        }

        if (_database.Provider == "sqlite")
        {
            Assert.False(SqliteWriterGate.IsHeld(new Microsoft.Data.Sqlite.SqliteConnection(_database.ConnectionString)));
        }

        // 32 requests at once, each in its scope with its own context: on SQLite they take turns in the process.
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async i =>
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, $"item-{i}");
        }));

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Equal(32, orders.Count);
        Assert.Equal(orders.Select(o => o.Id.ToString("D")).Order(), records.Select(r => r.EntityRef.EntityId).Order());
    }

    [Fact]
    public async Task A_direct_call_is_intercepted_into_the_same_transaction()
    {
        await using ServiceProvider services = Services();
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var direct = new PlaceOrder(scope.ServiceProvider.GetRequiredService<ShopContext>(), scope.ServiceProvider.GetRequiredService<IActivityLogRepo>())
            {
                AfterSave = _ => throw new TimeoutException("gateway"),
            };
            await Assert.ThrowsAsync<TimeoutException>(() => direct.ExecuteAsync(Alice, "lamp"));
            direct.AfterSave = null;
            await direct.ExecuteAsync(Alice, "desk");
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Equal("desk", Assert.Single(orders).Item);
        Assert.Equal(Assert.Single(orders).Id.ToString("D"), Assert.Single(records).EntityRef.EntityId);
    }

    [Fact]
    public async Task A_store_that_refuses_the_record_rolls_the_change_back()
    {
        await using ServiceProvider services = Services();
        await RefuseInsertsAsync();

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            await Assert.ThrowsAnyAsync<Exception>(() => scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Empty(orders);
        Assert.Empty(records);
    }

    [Fact]
    public async Task A_throwing_before_append_hook_rolls_the_change_back()
    {
        await using ServiceProvider services = Services(l => l.AddBeforeAppendHook(new Throwing()));
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var ex = await Assert.ThrowsAsync<ActivityHookException>(() => scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
            Assert.Equal(nameof(Throwing), ex.HookType);
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Empty(orders);
        Assert.Empty(records);
    }

    [Fact]
    public async Task A_veto_rolls_the_change_back_by_default_and_is_logged()
    {
        await using ServiceProvider services = Services(l => l.AddBeforeAppendHook(new Veto()));
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var ex = await Assert.ThrowsAsync<ActivityVetoedException>(() => scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
            Assert.Equal(("place_order", nameof(Veto), "embargoed"), (ex.Action, ex.VetoedBy, ex.Reason));
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Empty(orders);
        Assert.Empty(records);
        FakeLogRecord warning = Assert.Single(_logs.GetSnapshot(), l => l.Id.Id == 6);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("is rolled back", warning.Message);
    }

    [Fact]
    public async Task With_VetoedChangePolicy_Commit_a_vetoed_change_stands_unrecorded_and_is_logged()
    {
        await using ServiceProvider services = Services(l => l.AddBeforeAppendHook(new Veto()).Configure(o => o.VetoedChanges = VetoedChangePolicy.Commit));
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book");
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Single(orders);
        Assert.Empty(records);
        Assert.Contains("stands without a record", Assert.Single(_logs.GetSnapshot(), l => l.Id.Id == 6).Message);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_as_the_use_case_returns_still_commits_both()
    {
        await using ServiceProvider services = Services();
        using var request = new CancellationTokenSource();
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            ((PlaceOrder)scope.ServiceProvider.GetRequiredService<PlaceOrder>()).AfterSave = _ => request.CancelAsync();
            await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book", request.Token);
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.True(request.IsCancellationRequested);
        Assert.Single(orders);
        Assert.Single(records);
    }

    [Fact]
    public async Task Inside_the_applications_own_transaction_the_record_commits_or_rolls_back_with_it()
    {
        await using ServiceProvider services = Services();
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            ShopContext db = scope.ServiceProvider.GetRequiredService<ShopContext>();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "rolled back");
                await transaction.RollbackAsync();
            }

            db.ChangeTracker.Clear();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "committed");
                await transaction.CommitAsync();
            }
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Equal("committed", Assert.Single(orders).Item);
        Assert.Equal("committed", Assert.Single(records).Metadata["item"]);
    }

    [Fact]
    public async Task The_contexts_savepoint_setting_is_off_inside_the_use_cases_transaction_and_restored_after()
    {
        await using ServiceProvider services = Services();
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        ShopContext db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        bool? inside = null;
        ((PlaceOrder)scope.ServiceProvider.GetRequiredService<PlaceOrder>()).AfterSave = _ =>
        {
            inside = db.Database.AutoSavepointsEnabled;
            return Task.CompletedTask;
        };

        await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book");

        Assert.False(inside);
        Assert.True(db.Database.AutoSavepointsEnabled);
    }

    [Fact]
    public async Task The_pipeline_over_a_context_is_scoped_and_cannot_be_resolved_from_the_root()
    {
        await using ServiceProvider services = Services();
        Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<IActivityLogRepo>());

        await using AsyncServiceScope one = services.CreateAsyncScope();
        await using AsyncServiceScope two = services.CreateAsyncScope();
        var a = (DbContextActivityLogRepo<ShopContext>)one.ServiceProvider.GetRequiredService<ActivityLog>().Store;
        var b = (DbContextActivityLogRepo<ShopContext>)two.ServiceProvider.GetRequiredService<ActivityLog>().Store;
        Assert.Same(one.ServiceProvider.GetRequiredService<ShopContext>(), a.Context);
        Assert.NotSame(a.Context, b.Context);
    }

    [Fact]
    public async Task The_mapped_entity_reads_what_the_store_wrote_and_the_database_refuses_edits()
    {
        await using ServiceProvider services = Services();
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        Order order = await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book");
        ActivityRecord stored = Assert.Single(await scope.ServiceProvider.GetRequiredService<IActivityLogRepo>().GetByEntityAsync(new EntityRef("Order", order.Id)));

        ShopContext db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        ActivityLogEntry entry = await db.Set<ActivityLogEntry>().SingleAsync(e => e.EntityId == order.Id.ToString());
        Assert.Equal((stored.Sequence, stored.RecordId, stored.ActorId, stored.OwnerId, stored.Action, stored.OccurredAt),
            (entry.Sequence, entry.RecordId, entry.ActorId, entry.OwnerId, entry.Action, entry.OccurredAt));
        Assert.Single(await db.Set<ActivityLogEntry>().Where(e => e.OccurredAt >= stored.OccurredAt && e.ActorId == Alice).ToListAsync());

        string table = _database.Provider == "sqlite" ? "activity_records" : "auditgen.activity_records";
        string update = "UPDATE " + table + " SET action = 'forged'", delete = "DELETE FROM " + table;
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(update));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync(delete));
        Assert.Equal("place_order", (await db.Set<ActivityLogEntry>().AsNoTracking().SingleAsync()).Action);
    }

    /// <summary>Makes the database refuse every new record, as a full disk or a broken table would.</summary>
    /// <summary>Runs SQL on the shop's database, outside the log.</summary>
    protected async Task ExecuteSqlAsync(string sql)
    {
        var options = new DbContextOptionsBuilder<ShopContext>();
        ShopContext.Configure(options, _database.Provider, _database.ConnectionString);
        await using var db = new ShopContext(options.Options);
        await db.Database.ExecuteSqlRawAsync(sql);
    }

    /// <summary>The shop database's connection string.</summary>
    protected string ConnectionString => _database.ConnectionString;

    private async Task RefuseInsertsAsync()
    {
        var options = new DbContextOptionsBuilder<ShopContext>();
        ShopContext.Configure(options, _database.Provider, _database.ConnectionString);
        await using var db = new ShopContext(options.Options);
        await db.Database.ExecuteSqlRawAsync(_database.Provider == "sqlite"
            ? "CREATE TRIGGER refuse BEFORE INSERT ON activity_records BEGIN SELECT RAISE(ABORT, 'the store refuses'); END;"
            : "CREATE FUNCTION auditgen.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the store refuses'; END $$; " +
              "CREATE TRIGGER refuse BEFORE INSERT ON auditgen.activity_records FOR EACH ROW EXECUTE FUNCTION auditgen.refuse();");
    }

    private sealed class Throwing : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("hook broke");
    }

    private sealed class Veto : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(BeforeAppendDecision.Veto("embargoed"));
    }
}

public sealed class SqliteTransactionalCaptureTests() : TransactionalCaptureTests("sqlite");

/// <summary>
/// On PostgreSQL the record's insert and the <c>COMMIT</c> travel in one batch: what that batch's failures do to the change.
/// </summary>
public sealed class PostgreSqlTransactionalCaptureTests() : TransactionalCaptureTests("postgres")
{
    [Fact]
    public async Task A_commit_that_fails_in_the_records_round_trip_rolls_back_the_change_and_the_record()
    {
        // A deferred constraint on the change is checked at COMMIT, which is sent in the record's batch: it fails there.
        await using ServiceProvider services = Services();
        await ExecuteSqlAsync(
            "CREATE FUNCTION refuse_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused at commit' USING ERRCODE = 'check_violation'; END $$; " +
            "CREATE CONSTRAINT TRIGGER refuse_at_commit AFTER INSERT ON orders DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION refuse_at_commit();");

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var ex = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
            Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, ex.SqlState);
            Assert.Contains("refused at commit", ex.MessageText);
        }

        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Empty(orders);
        Assert.Empty(records);

        // The connection went back to the pool usable: the next logged use case commits both.
        await ExecuteSqlAsync("DROP TRIGGER refuse_at_commit ON orders;");
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "pen");
        }

        (orders, records) = await StateAsync(services);
        Assert.Equal("pen", Assert.Single(orders).Item);
        Assert.Equal("place_order", Assert.Single(records).Action);
    }

    [Fact]
    public async Task A_record_waiting_on_the_append_lock_still_hits_the_append_timeout_and_rolls_the_change_back()
    {
        // Another writer holds the log's append lock: the batch that carries the record and the COMMIT waits for it until
        // AppendTimeout cancels it; nothing of the use case stays.
        await using ServiceProvider services = Services(l => l.Configure(o => o.AppendTimeout = TimeSpan.FromMilliseconds(300)));
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "pen"); // the log's schema exists (its migration takes the lock too)
        }

        await using var holder = new Npgsql.NpgsqlConnection(ConnectionString);
        await holder.OpenAsync();
        await using Npgsql.NpgsqlTransaction held = await holder.BeginTransactionAsync();
        await using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('auditgen.activity_records:auditgen'))", holder, held))
        {
            await take.ExecuteNonQueryAsync();
        }

        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            var ex = await Assert.ThrowsAsync<ActivityNotRecordedException>(() => scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book"));
            Assert.False(ex.ChangeCommitted);
            Assert.Contains("append timeout", ex.Message);
        }

        await held.RollbackAsync();
        (List<Order> orders, IReadOnlyList<ActivityRecord> records) = await StateAsync(services);
        Assert.Equal("pen", Assert.Single(orders).Item);
        Assert.Single(records);
    }
}
