using AuditGen.Conformance;

namespace AuditGen.Tests;

/// <summary>
/// An append in the same process wakes the durable relay: with a poll interval of an hour, only the wake-up can deliver.
/// No event is lost to a wake-up that races an append, under concurrent appenders and across a relay restart.
/// </summary>
[Collection(RelayTestsInSequence.Name)]
public sealed class RelayWakeUpTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    /// <summary>Polls once an hour: anything delivered within the test was woken by an append.</summary>
    private static ActivityRelayOptions HourlyPoll(string name, TimeSpan? lease = null) => new()
    {
        Name = name,
        PollInterval = TimeSpan.FromHours(1),
        LeaseDuration = lease ?? TimeSpan.FromSeconds(30),
        MinRetryDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(8),
    };

    private static ActivityLog DurableLog(InMemoryActivityLogRepo store, IEventBus bus) =>
        new(store, eventBus: bus, options: new ActivityLogOptions { Delivery = ActivityDelivery.Durable });

    private static async Task UntilAsync(Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            await Task.Delay(10);
        }
    }

    private static ActivityRecord Record(int n) => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{n}"));

    [Fact]
    public async Task An_append_in_this_process_is_delivered_without_waiting_for_the_poll()
    {
        var bus = new FlakyBus(failures: 0);
        ActivityLog log = DurableLog(new InMemoryActivityLogRepo(), bus);
        var relay = new ActivityRecordedRelay(log, HourlyPoll("wake-one"));
        await relay.StartAsync(CancellationToken.None);
        try
        {
            // The first record is delivered by the relay's first read; it then reads again, finds nothing and waits.
            Guid first = (await log.AppendAsync(Record(1))).Record!.RecordId;
            await UntilAsync(() => !bus.Delivered.IsEmpty);
            await Task.Delay(100);

            // With the next poll an hour away, only the append's wake-up can deliver the second.
            Guid second = (await log.AppendAsync(Record(2))).Record!.RecordId;
            await UntilAsync(() => bus.Delivered.Count >= 2);

            Assert.Equal([first, second], bus.Delivered);
        }
        finally
        {
            await relay.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Concurrent_appenders_and_a_relay_restart_lose_no_event_and_keep_the_order()
    {
        var store = new InMemoryActivityLogRepo();
        var bus = new FlakyBus(failures: 3); // a few failures on the way: the retries interleave with wake-ups
        ActivityLog log = DurableLog(store, bus);
        var first = new ActivityRecordedRelay(log, HourlyPoll("wake-many", TimeSpan.FromMilliseconds(200)));
        await first.StartAsync(CancellationToken.None);

        async Task AppendAsync(int writer, int count)
        {
            for (int i = 0; i < count; i++)
            {
                await log.AppendAsync(Record((writer * 1000) + i));
                if (i % 7 == 0)
                {
                    await Task.Yield();
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(() => AppendAsync(w, 50))));
        await UntilAsync(() => bus.Delivered.Count >= 400);
        await first.StopAsync(CancellationToken.None); // a restart: the next relay resumes from the stored checkpoint
        await Task.Delay(250); // the stopped relay's lease expires

        // The restarted relay polls often: if the stopped relay's lease outlives the wait above (a loaded machine), the new
        // one takes over at its next poll instead of waiting an hour for an append that may already have come.
        var second = new ActivityRecordedRelay(log, new ActivityRelayOptions
        {
            Name = "wake-many",
            PollInterval = TimeSpan.FromMilliseconds(50),
            MinRetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(8),
        });
        await second.StartAsync(CancellationToken.None);
        try
        {
            await Task.WhenAll(Enumerable.Range(8, 4).Select(w => Task.Run(() => AppendAsync(w, 25))));
            await UntilAsync(() => bus.Delivered.Count >= 500);

            Guid[] stored = [.. store.Records.Select(r => r.RecordId)];
            Assert.Equal(500, stored.Length);
            Assert.Equal(stored, bus.Delivered.Distinct()); // every event, in sequence order (at least once: none skipped)
        }
        finally
        {
            await second.StopAsync(CancellationToken.None);
        }
    }
}
