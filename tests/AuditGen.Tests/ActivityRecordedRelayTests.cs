using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using AuditGen.Conformance;

namespace AuditGen.Tests;

/// <summary>Durable delivery over the in-memory outbox: retries in order, one relay per name, resumption from the checkpoint.</summary>
[Collection(RelayTestsInSequence.Name)]
public sealed class ActivityRecordedRelayTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private static readonly ActivityRelayOptions Fast = new() { PollInterval = TimeSpan.FromMilliseconds(5), MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(8) };

    private static ActivityLog DurableLog(InMemoryActivityLogRepo store, IEventBus bus, CountingHook? hook = null) =>
        new(store, afterHooks: hook is null ? null : [hook], eventBus: bus, options: new ActivityLogOptions { Delivery = ActivityDelivery.Durable });

    private static async Task<List<Guid>> AppendAsync(ActivityLog log, int count)
    {
        var ids = new List<Guid>();
        for (int i = 0; i < count; i++)
        {
            ids.Add((await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")))).Record!.RecordId);
        }

        return ids;
    }

    [Fact]
    public async Task A_bus_that_fails_then_recovers_gets_every_event_in_order_and_hooks_run_from_the_relay_not_the_append()
    {
        var store = new InMemoryActivityLogRepo();
        var bus = new FlakyBus(failures: 5);
        var hook = new CountingHook();
        ActivityLog log = DurableLog(store, bus, hook);
        List<Guid> appended = await AppendAsync(log, 20);
        Assert.Empty(hook.Seen); // durable: nothing ran in the appending call
        Assert.Empty(bus.Delivered);

        var relay = new ActivityRecordedRelay(log, new ActivityRelayOptions { BatchSize = 7, MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(4) });
        while (await relay.DeliverBatchAsync())
        {
        }

        Assert.Equal(appended, bus.Delivered);   // every event, once, in sequence order, despite 5 failures
        Assert.Equal(appended, hook.Seen);       // each record's hooks ran once (before its first publish)
        Assert.Equal(0, relay.Lag);
        Assert.False(await relay.DeliverBatchAsync()); // nothing left
    }

    [Fact]
    public async Task Of_two_relays_of_one_name_only_the_lease_holder_delivers_and_a_new_relay_resumes_after_the_checkpoint()
    {
        var store = new InMemoryActivityLogRepo();
        var bus = new FlakyBus(failures: 0);
        ActivityLog log = DurableLog(store, bus);
        List<Guid> first = await AppendAsync(log, 10);

        var one = new ActivityRecordedRelay(log, new ActivityRelayOptions { BatchSize = 4 });
        var two = new ActivityRecordedRelay(log, new ActivityRelayOptions { BatchSize = 4 });
        Assert.True(await one.DeliverBatchAsync());
        Assert.False(await two.DeliverBatchAsync()); // one holds the lease
        while (await one.DeliverBatchAsync())
        {
        }

        Assert.Equal(first, bus.Delivered);

        // A relay of the same name in a new process would start from the stored checkpoint: here, after the lease expires.
        List<Guid> second = await AppendAsync(log, 3);
        var third = new ActivityRecordedRelay(log, new ActivityRelayOptions { BatchSize = 4, LeaseDuration = TimeSpan.FromMilliseconds(1) });
        Assert.False(await third.DeliverBatchAsync()); // one's lease (30 s) still holds
        var fourth = new ActivityRecordedRelay(log, new ActivityRelayOptions { Name = "another", BatchSize = 100 });
        Assert.True(await fourth.DeliverBatchAsync()); // another name has its own checkpoint: it delivers everything again
        Assert.Equal([.. first, .. first, .. second], bus.Delivered);
    }

    [Fact]
    public async Task As_a_hosted_service_it_delivers_what_is_appended_while_it_runs_and_reports_its_lag()
    {
        var store = new InMemoryActivityLogRepo();
        var bus = new FlakyBus(failures: 2);
        ActivityLog log = DurableLog(store, bus);
        List<Guid> before = await AppendAsync(log, 5);

        var lags = new ConcurrentQueue<long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ActivityLogTelemetry.Name && instrument.Name == "auditgen.relay.lag")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "auditgen.relay" && (string?)tag.Value == "lag-test")
                {
                    lags.Enqueue(value);
                }
            }
        });
        listener.Start();

        var relay = new ActivityRecordedRelay(log, new ActivityRelayOptions
        {
            Name = "lag-test",
            PollInterval = Fast.PollInterval,
            MinRetryDelay = Fast.MinRetryDelay,
            MaxRetryDelay = Fast.MaxRetryDelay,
        });
        await relay.StartAsync(CancellationToken.None);
        try
        {
            List<Guid> during = await AppendAsync(log, 5);
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (bus.Delivered.Count < 10 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }

            Assert.Equal([.. before, .. during], bus.Delivered);
            listener.RecordObservableInstruments();
            Assert.Equal(0, Assert.Single(lags));
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void A_store_that_is_not_an_outbox_is_refused_by_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ActivityRecordedRelay(new ActivityLog(new NotAnOutbox())));
        Assert.Contains(nameof(NotAnOutbox), ex.Message);
        Assert.Contains("IActivityLogOutbox", ex.Message);
    }

    private sealed class NotAnOutbox : IActivityLogRepo
    {
        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
