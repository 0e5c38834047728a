using AuditGen.Conformance;
using AuditGen.EntityFrameworkCore.Shop;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// The EF Core store is durable, so its events are delivered by the relay by default: read through a context of its own
/// per batch, in order through a failing bus, one lease holder at a time, resumed from the stored checkpoint.
/// </summary>
public abstract class DurableDeliveryTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly ShopDatabase _database;

    protected DurableDeliveryTests(string provider) => _database = ShopDatabase.Create(provider);

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private static readonly Action<ActivityRelayOptions> Fast = static relay =>
    {
        relay.BatchSize = 2;
        relay.MinRetryDelay = TimeSpan.FromMilliseconds(1);
        relay.MaxRetryDelay = TimeSpan.FromMilliseconds(4);
        relay.LeaseDuration = TimeSpan.FromSeconds(1);
    };

    private async Task<ServiceProvider> ServicesAsync(IEventBus bus, IAfterAppendHook hook, Action<ActivityLogBuilder>? configure = null)
    {
        ServiceProvider services = new ServiceCollection()
            .AddDbContext<ShopContext>(o => ShopContext.Configure(o, _database.Provider, _database.ConnectionString))
            .AddActivityLog(log =>
            {
                log.UseEntityFrameworkCore<ShopContext>().UseEventBus(bus).AddAfterAppendHook(hook);
                configure?.Invoke(log);
            })
            .AddShopUseCases(ServiceLifetime.Scoped)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        await ShopContext.CreateAsync(scope.ServiceProvider.GetRequiredService<ShopContext>());
        return services;
    }

    private static async Task<List<Guid>> PlaceOrdersAsync(ServiceProvider services, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, $"item {i}");
        }

        await using AsyncServiceScope read = services.CreateAsyncScope();
        var ids = new List<Guid>();
        await foreach (ActivityRecord record in read.ServiceProvider.GetRequiredService<IActivityLogRepo>().StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst }))
        {
            ids.Add(record.RecordId);
        }

        return ids;
    }

    [Fact]
    public async Task By_default_the_relay_delivers_every_event_in_order_through_a_failing_bus_and_hooks_run_from_it_not_the_use_case()
    {
        var bus = new FlakyBus(failures: 3);
        var hook = new CountingHook();
        await using ServiceProvider services = await ServicesAsync(bus, hook, log => log.UseDurableDelivery(Fast));
        List<Guid> appended = await PlaceOrdersAsync(services, 5);
        Assert.Equal(5, appended.Count);
        Assert.Empty(bus.Delivered); // nothing in the use case's call
        Assert.Empty(hook.Seen);

        ActivityRecordedRelay relay = Assert.Single(services.GetServices<IHostedService>().OfType<ActivityRecordedRelay>());
        while (await relay.DeliverBatchAsync())
        {
        }

        Assert.Equal(appended, bus.Delivered);
        Assert.Equal(appended, hook.Seen);
        Assert.Equal(0, relay.Lag);
    }

    [Fact]
    public async Task The_default_is_durable_and_runs_as_a_hosted_service()
    {
        var bus = new FlakyBus(failures: 0);
        await using ServiceProvider services = await ServicesAsync(bus, new CountingHook());
        Assert.Equal(ActivityDelivery.Durable, services.GetRequiredService<ActivityLogOptions>().Delivery);
        ActivityRecordedRelay relay = Assert.Single(services.GetServices<IHostedService>().OfType<ActivityRecordedRelay>());
        List<Guid> appended = await PlaceOrdersAsync(services, 2);

        await relay.StartAsync(CancellationToken.None);
        try
        {
            for (int i = 0; i < 3000 && bus.Delivered.Count < appended.Count; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal(appended, bus.Delivered);
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Two_relays_of_one_name_do_not_both_deliver_and_a_new_one_resumes_after_the_checkpoint_once_the_lease_expires()
    {
        var bus = new FlakyBus(failures: 0);
        await using ServiceProvider services = await ServicesAsync(bus, new CountingHook(), log => log.UseDurableDelivery(Fast));
        List<Guid> first = await PlaceOrdersAsync(services, 3);

        ActivityRecordedRelay one = services.GetRequiredService<ActivityRecordedRelay>();
        var options = new ActivityRelayOptions();
        Fast(options);
        var two = new ActivityRecordedRelay(services.GetRequiredService<IServiceScopeFactory>(), options);
        Assert.True(await one.DeliverBatchAsync()); // 2 of 3
        Assert.False(await two.DeliverBatchAsync()); // one holds the lease
        Assert.True(await one.DeliverBatchAsync());
        Assert.Equal(first, bus.Delivered);

        List<Guid> all = await PlaceOrdersAsync(services, 2);
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // one's lease expires: it is gone, as after a crash
        while (await two.DeliverBatchAsync())
        {
        }

        Assert.Equal(all, bus.Delivered); // the new ones, once each: nothing delivered twice, nothing skipped
        Assert.False(await one.DeliverBatchAsync()); // the lease is two's now
    }

    [Fact]
    public async Task The_outbox_is_not_read_inside_the_contexts_transaction()
    {
        await using ServiceProvider services = await ServicesAsync(new FlakyBus(0), new CountingHook());
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        ShopContext context = scope.ServiceProvider.GetRequiredService<ShopContext>();
        await using var transaction = await context.Database.BeginTransactionAsync();
        var store = scope.ServiceProvider.GetRequiredService<DbContextActivityLogRepo<ShopContext>>();
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.TryLeaseAsync("default", "me", TimeSpan.FromSeconds(1)));
        Assert.Contains("outside the context's transaction", ex.Message);
    }
}

public sealed class SqliteDurableDeliveryTests() : DurableDeliveryTests("sqlite");

public sealed class PostgreSqlDurableDeliveryTests() : DurableDeliveryTests("postgres");
