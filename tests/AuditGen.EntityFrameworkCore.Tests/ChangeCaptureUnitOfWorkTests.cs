using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// How the capture follows the unit of work: saves merge into one record, a failed or vetoed use case records nothing,
/// hooks see the changes, nothing outside a use case is captured, joined and concurrent units of work keep theirs apart.
/// </summary>
public abstract class ChangeCaptureUnitOfWorkTests(string provider) : ChangeCaptureTestBase(provider)
{
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

public sealed class SqliteChangeCaptureUnitOfWorkTests() : ChangeCaptureUnitOfWorkTests("sqlite");

public sealed class PostgreSqlChangeCaptureUnitOfWorkTests() : ChangeCaptureUnitOfWorkTests("postgres");
