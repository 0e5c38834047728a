using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// What the change-capture tests share: a fresh database of one kind per test, services whose EF Core store captures the
/// changes of every <c>SaveChanges</c> in a logged use case's unit of work, and helpers to run use cases and read the
/// records back from the store.
/// </summary>
public abstract class ChangeCaptureTestBase : IDisposable
{
    protected static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    protected ChangeCaptureTestBase(string provider) => Database = ShopDatabase.Create(provider);

    protected ShopDatabase Database { get; }

    public void Dispose()
    {
        Database.Dispose();
        GC.SuppressFinalize(this);
    }

    protected ServiceProvider Services(
        Action<ActivityLogBuilder>? log = null, Action<EntityFrameworkCoreActivityLogOptions>? options = null, CommandCounter? commands = null,
        Action<DbContextOptionsBuilder>? context = null)
    {
        ServiceProvider services = new ServiceCollection()
            .AddDbContext<CaptureContext>(o => CaptureContext.Configure(o, Database.Provider, Database.ConnectionString))
            .ConfigureDbContext<CaptureContext>(o =>
            {
                o.AddInterceptors(commands ?? new CommandCounter());
                context?.Invoke(o);
            })
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

    protected static ActivityRecord Record(string action = "edit_customer") => ActivityRecord.Create(Alice, Alice, action, new EntityRef("Customer", "x"));

    /// <summary>Runs <paramref name="work"/> as a logged use case would: in a unit of work on the scope's context, then its record.</summary>
    protected static async Task LoggedAsync(ServiceProvider services, Func<CaptureContext, Task> work, ActivityRecord? record = null)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
        CaptureContext db = scope.ServiceProvider.GetRequiredService<CaptureContext>();
        await using ActivityTransaction transaction = await ActivityTransaction.BeginAsync(log);
        await work(db);
        await transaction.CompleteAsync(record ?? Record());
    }

    /// <summary>Writes outside any logged use case, in a scope of its own.</summary>
    protected static async Task UnloggedAsync(ServiceProvider services, Func<CaptureContext, Task> work)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        await work(scope.ServiceProvider.GetRequiredService<CaptureContext>());
    }

    protected static async Task<List<ActivityRecord>> StoredAsync(ServiceProvider services)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        var records = new List<ActivityRecord>();
        await foreach (ActivityRecord r in scope.ServiceProvider.GetRequiredService<IActivityLogRepo>().StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst }))
        {
            records.Add(r);
        }

        return records;
    }

    protected static async Task<int> SeedAsync(ServiceProvider services, string name = "Ada", string city = "Paris")
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

    protected static EntityChange ChangeOf(ActivityRecord record, string type, object id) =>
        Assert.Single(record.Changes, c => c.Entity == new EntityRef(type, Convert.ToString(id, System.Globalization.CultureInfo.InvariantCulture)!));

    protected static PropertyChange Property(EntityChange change, string name) => Assert.Single(change.Properties, p => p.Name == name);

    /// <summary>Counts the commands EF Core executes.</summary>
    protected sealed class CommandCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbCommandInterceptor
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
}
