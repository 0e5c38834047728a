using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen.Tests;

/// <summary>UseDurableDelivery: the pipeline stops delivering in-process and the relay runs as a hosted service.</summary>
[Collection(RelayTestsInSequence.Name)]
public sealed class DurableDeliveryRegistrationTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private sealed class RecordingBus : IEventBus
    {
        public List<Guid> Delivered { get; } = [];

        public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : notnull
        {
            lock (Delivered)
            {
                Delivered.Add(((ActivityRecorded)(object)@event).RecordId);
            }

            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task The_relay_is_a_hosted_service_with_the_configured_options_and_delivers_what_the_pipeline_no_longer_publishes()
    {
        var bus = new RecordingBus();
        await using ServiceProvider services = new ServiceCollection()
            .AddActivityLog(log => log.UseInMemory().UseEventBus(bus).UseDurableDelivery(relay =>
            {
                relay.Name = "notifications";
                relay.PollInterval = TimeSpan.FromMilliseconds(5);
            }))
            .BuildServiceProvider();

        Assert.Equal(ActivityDelivery.Durable, services.GetRequiredService<ActivityLogOptions>().Delivery);
        var relay = Assert.IsType<ActivityRecordedRelay>(Assert.Single(services.GetServices<IHostedService>()));
        Assert.Equal("notifications", relay.Name);

        IActivityLogRepo log = services.GetRequiredService<IActivityLogRepo>();
        Guid id = (await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1")))).Record!.RecordId;
        Assert.Empty(bus.Delivered); // not in the appending call

        await relay.StartAsync(CancellationToken.None);
        try
        {
            for (int i = 0; i < 3000 && bus.Delivered.Count == 0; i++)
            {
                await Task.Delay(10);
            }

            Assert.Equal([id], bus.Delivered);
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_health_check_fails_while_the_relay_is_further_behind_than_its_healthy_lag_and_recovers_when_it_catches_up()
    {
        ServiceCollection collection = new();
        collection.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        collection.AddActivityLog(log => log.UseInMemory().UseDurableDelivery(relay =>
        {
            relay.BatchSize = 1;
            relay.MaxHealthyLag = 2;
        }));
        collection.AddActivityLogHealthChecks();
        await using ServiceProvider services = collection.BuildServiceProvider();
        IActivityLogRepo log = services.GetRequiredService<IActivityLogRepo>();
        for (int i = 0; i < 5; i++)
        {
            await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")));
        }

        ActivityRecordedRelay relay = services.GetRequiredService<ActivityRecordedRelay>();
        Assert.Same(relay, Assert.Single(services.GetServices<IHostedService>().OfType<ActivityRecordedRelay>()));
        HealthCheckService health = services.GetRequiredService<HealthCheckService>();

        Assert.True(await relay.DeliverBatchAsync()); // read 1 of 5: 4 wait
        HealthReportEntry behind = (await health.CheckHealthAsync()).Entries["auditgen"];
        Assert.Equal(HealthStatus.Unhealthy, behind.Status);
        Assert.Contains("4 undelivered records", behind.Description);

        while (await relay.DeliverBatchAsync())
        {
        }

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["auditgen"].Status);
    }

    [Fact]
    public void Relay_options_out_of_range_are_refused_when_configured()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new ServiceCollection().AddActivityLog(log => log.UseDurableDelivery(relay => relay.BatchSize = 0)));
        Assert.Equal("BatchSize", ex.ParamName);
    }

    /// <summary>A store registered as durable, as the SQLite, PostgreSQL and EF Core packages register theirs.</summary>
    private static ActivityLogBuilder DurableStore(ActivityLogBuilder log) => log.UseDurableStore(static _ => new InMemoryActivityLogRepo());

    private static (ActivityDelivery Delivery, int Relays) Resolve(Action<ActivityLogBuilder> configure)
    {
        using ServiceProvider services = new ServiceCollection().AddActivityLog(configure).BuildServiceProvider();
        return (services.GetService<ActivityLogOptions>()?.Delivery ?? ActivityDelivery.InProcess, services.GetServices<IHostedService>().OfType<ActivityRecordedRelay>().Count());
    }

    [Fact]
    public void A_durable_store_delivers_durably_unless_the_application_chose_otherwise()
    {
        Assert.Equal((ActivityDelivery.Durable, 1), Resolve(log => DurableStore(log)));
        Assert.Equal((ActivityDelivery.Durable, 1), Resolve(log => DurableStore(log).UseDurableDelivery(r => r.Name = "mine")));

        // Chosen in-process, before or after the store, by the builder or by the options: no relay.
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(log => DurableStore(log).UseInProcessDelivery()));
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(log => DurableStore(log.UseInProcessDelivery())));
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(log => DurableStore(log.UseDurableDelivery()).UseInProcessDelivery()));
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(log => DurableStore(log).Configure(o => o.Delivery = ActivityDelivery.InProcess)));
    }

    [Fact]
    public void The_in_memory_store_and_custom_stores_deliver_in_process_by_default()
    {
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(static _ => { }));
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(log => DurableStore(log).UseInMemory())); // the last store wins, with its default
        Assert.Equal((ActivityDelivery.InProcess, 0), Resolve(log => log.UseStore(new InMemoryActivityLogRepo())));
        Assert.Equal((ActivityDelivery.Durable, 1), Resolve(log => log.UseInMemory().UseDurableDelivery()));
    }

    [Fact]
    public async Task A_scoped_durable_store_is_read_by_the_relay_through_a_scope_of_its_own_per_batch()
    {
        var bus = new RecordingBus();
        var stores = new List<ScopedStore>();
        var shared = new InMemoryActivityLogRepo();
        await using ServiceProvider services = new ServiceCollection()
            .AddScoped(_ =>
            {
                var store = new ScopedStore(shared);
                lock (stores)
                {
                    stores.Add(store);
                }

                return store;
            })
            .AddActivityLog(log => log.UseDurableStore(static sp => sp.GetRequiredService<ScopedStore>(), ServiceLifetime.Scoped).UseEventBus(bus))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        Guid id;
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            id = (await scope.ServiceProvider.GetRequiredService<IActivityLogRepo>().AppendAsync(
                ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1")))).Record!.RecordId;
        }

        ActivityRecordedRelay relay = services.GetRequiredService<ActivityRecordedRelay>();
        Assert.True(await relay.DeliverBatchAsync());
        Assert.False(await relay.DeliverBatchAsync());
        Assert.Equal([id], bus.Delivered);
        Assert.Equal(3, stores.Count); // the appending scope's, then one per batch
        Assert.All(stores, static s => Assert.True(s.Disposed));
    }

    /// <summary>A scoped store over one shared log, as a DbContext-based store is over one database.</summary>
    private sealed class ScopedStore(InMemoryActivityLogRepo log) : IActivityLogRepo, Storage.IActivityLogOutbox, IDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) => Live().AppendAsync(record, cancellationToken);

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) => Live().QueryAsync(query, cancellationToken);

        public ValueTask<IReadOnlyList<ActivityRecord>> ReadAfterAsync(long sequence, int limit, CancellationToken cancellationToken = default) => Live().ReadAfterAsync(sequence, limit, cancellationToken);

        public ValueTask<long> LastSequenceAsync(CancellationToken cancellationToken = default) => Live().LastSequenceAsync(cancellationToken);

        public ValueTask<long?> TryLeaseAsync(string relay, string holder, TimeSpan duration, CancellationToken cancellationToken = default) =>
            Live().TryLeaseAsync(relay, holder, duration, cancellationToken);

        public ValueTask<bool> CheckpointAsync(string relay, string holder, long sequence, TimeSpan duration, CancellationToken cancellationToken = default) =>
            Live().CheckpointAsync(relay, holder, sequence, duration, cancellationToken);

        public void Dispose() => Disposed = true;

        private InMemoryActivityLogRepo Live() => Disposed ? throw new ObjectDisposedException(nameof(ScopedStore)) : log;
    }

    [Fact]
    public async Task Durable_delivery_without_a_running_relay_warns_once_that_events_wait()
    {
        var logs = new LogCollector();
        var bus = new RecordingBus();
        var log = new ActivityLog(new InMemoryActivityLogRepo(), eventBus: bus, logger: logs.CreateLogger<ActivityLog>(),
            options: new ActivityLogOptions { Delivery = ActivityDelivery.Durable });

        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1")));
        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "2")));

        Assert.Empty(bus.Delivered);
        string warning = Assert.Single(logs.Messages, static m => m.Contains("no ActivityRecordedRelay runs", StringComparison.Ordinal));
        Assert.Contains("UseInProcessDelivery", warning);
    }

    /// <summary>Collects formatted log messages; loggers may write from any thread while the test reads a snapshot.</summary>
    private sealed class LogCollector : ILoggerProvider
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public ILogger<T> CreateLogger<T>() => new Logger<T>(new LoggerFactory([this]));

        private void Add(string message)
        {
            lock (_messages)
            {
                _messages.Add(message);
            }
        }

        public ILogger CreateLogger(string categoryName) => new Collecting(this);

        public void Dispose()
        {
        }

        private sealed class Collecting(LogCollector owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                owner.Add(formatter(state, exception));
            }
        }
    }
}
