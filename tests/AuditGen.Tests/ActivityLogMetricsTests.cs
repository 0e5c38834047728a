using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AuditGen.Tests;

/// <summary>Every offered record is counted on <c>auditgen.appends</c> by action and outcome: a veto is never silent.</summary>
public sealed class ActivityLogMetricsTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private sealed class VetoBots : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(record.Action.StartsWith("bot_action", StringComparison.Ordinal) ? BeforeAppendDecision.Veto("bots are not audited") : BeforeAppendDecision.Continue);
    }

    private sealed class BrokenStore : IActivityLogRepo
    {
        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) =>
            throw new IOException("disk full");

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ActivityPage.Empty);
    }

    [Fact]
    public async Task Appended_vetoed_and_failed_records_are_counted_with_their_action_and_outcome()
    {
        // Unique actions: other tests in this process count on the same meter.
        string suffix = Guid.NewGuid().ToString("N")[..8];
        var counts = new ConcurrentDictionary<(string Action, string Outcome), long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "AuditGen" && instrument.Name == "auditgen.appends")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string action = "", outcome = "";
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                // Other tests' records reach this listener too, some without an action (they fail validation).
                if (tag.Key == "auditgen.action") action = tag.Value as string ?? "";
                if (tag.Key == "auditgen.outcome") outcome = tag.Value as string ?? "";
            }

            if (action.EndsWith(suffix, StringComparison.Ordinal))
            {
                counts.AddOrUpdate((action, outcome), value, (_, c) => c + value);
            }
        });
        listener.Start();

        var log = new ActivityLog(new InMemoryActivityLogRepo(), beforeHooks: [new VetoBots()]);
        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task" + suffix, new EntityRef("Task", "1")));
        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task" + suffix, new EntityRef("Task", "2")));
        Assert.False((await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "bot_action" + suffix, new EntityRef("Task", "3")))).IsAppended);
        await Assert.ThrowsAsync<IOException>(async () =>
            await new ActivityLog(new BrokenStore()).AppendAsync(ActivityRecord.Create(Alice, Alice, "delete_task" + suffix, new EntityRef("Task", "4"))));

        Assert.Equal(2, counts[("create_task" + suffix, "appended")]);
        Assert.Equal(1, counts[("delete_task" + suffix, "failed")]);
        Assert.Equal(1, counts[("bot_action" + suffix, "vetoed")]);
        Assert.Equal(3, counts.Count);
    }
}
