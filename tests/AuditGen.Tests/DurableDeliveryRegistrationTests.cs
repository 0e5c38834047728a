using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen.Tests;

/// <summary>UseDurableDelivery: the pipeline stops delivering in-process and the relay runs as a hosted service.</summary>
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
}
