namespace AuditGen.PostgreSql.Tests;

/// <summary>The durable relay over a real PostgreSQL server: a failing bus, two relays of one name, resumption by a new instance.</summary>
public sealed class RelayTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private sealed class FlakyBus(int failures) : IEventBus
    {
        private int _calls;

        public List<Guid> Delivered { get; } = [];

        public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : notnull
        {
            if (Interlocked.Increment(ref _calls) <= failures)
            {
                throw new IOException("broker unavailable");
            }

            Delivered.Add(((ActivityRecorded)(object)@event).RecordId);
            return ValueTask.CompletedTask;
        }
    }

    private static ActivityRelayOptions Options(int batchSize) =>
        new() { BatchSize = batchSize, MinRetryDelay = TimeSpan.FromMilliseconds(1), MaxRetryDelay = TimeSpan.FromMilliseconds(4) };

    [Fact]
    public async Task Every_event_is_delivered_in_order_through_failures_and_only_the_lease_holder_delivers()
    {
        string schema = TestServer.NewSchema();
        using PostgreSqlActivityLogRepo store = TestServer.NewLog(schema: schema);
        ActivityRecord[] records = [.. Enumerable.Range(0, 30).Select(i => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")))];
        List<Guid> appended = [.. (await store.AppendManyAsync(records)).Select(r => r.RecordId)];

        var bus = new FlakyBus(failures: 4);
        var durable = new ActivityLogOptions { Delivery = ActivityDelivery.Durable };
        var relay = new ActivityRecordedRelay(new ActivityLog(store, eventBus: bus, options: durable), Options(batchSize: 8));

        using PostgreSqlActivityLogRepo otherStore = TestServer.NewLog(schema: schema); // another process's adapter
        var otherBus = new FlakyBus(failures: 0);
        var other = new ActivityRecordedRelay(new ActivityLog(otherStore, eventBus: otherBus, options: durable), Options(batchSize: 8));

        Assert.True(await relay.DeliverBatchAsync());
        Assert.False(await other.DeliverBatchAsync()); // the lease is the first relay's
        while (await relay.DeliverBatchAsync())
        {
        }

        Assert.Equal(appended, bus.Delivered);
        Assert.Empty(otherBus.Delivered);

        // A new relay instance of the same name, once the lease is free, starts after the stored checkpoint.
        var resumed = new ActivityRecordedRelay(new ActivityLog(otherStore, eventBus: otherBus, options: durable),
            new ActivityRelayOptions { Name = "default", LeaseDuration = TimeSpan.FromMilliseconds(1) });
        await TestServer.ScalarAsync($"UPDATE \"{schema}\".auditgen_relays SET lease_until = now() - interval '1 second'"); // the holder died
        ActivityRecord late = (await store.AppendAsync(ActivityRecord.Create(Alice, Alice, "close_task", new EntityRef("Task", "1")))).Record!;
        Assert.True(await resumed.DeliverBatchAsync());
        Assert.Equal([late.RecordId], otherBus.Delivered);
    }
}
