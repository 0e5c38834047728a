using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AuditGen.Tests;

/// <summary>
/// What operators see (docs/operations.md): append durations, hook, side-effect and event failures on the AuditGen
/// meter; append and query spans that are children of the caller's span; the caller's trace context on records.
/// </summary>
public sealed class ActivityLogTelemetryTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    // Unique per test: other tests in this process report on the same meter and source.
    private readonly string _suffix = "_" + Guid.NewGuid().ToString("N")[..8];

    private ActivityRecord Record(string action, string id = "1") => ActivityRecord.Create(Alice, Alice, action + _suffix, new EntityRef("Task", id));

    private sealed class ThrowingAfterHook(string kind) : IAfterAppendHook
    {
        public ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            record.Action.StartsWith("explode", StringComparison.Ordinal)
                ? throw new InvalidOperationException("after-hook failed")
                : ValueTask.FromResult<IReadOnlyList<SideEffectRequest>>([new SideEffectRequest(kind)]);
    }

    private sealed class ThrowingHandler(string kind) : ISideEffectHandler
    {
        public string Kind => kind;

        public ValueTask HandleAsync(SideEffectRequest request, ActivityRecord record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("handler failed");
    }

    private sealed class ThrowingBus : IEventBus
    {
        public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default) where TEvent : notnull =>
            throw new InvalidOperationException("bus down");
    }

    private sealed class ThrowingBeforeHook : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            record.Action.StartsWith("reject", StringComparison.Ordinal) ? throw new InvalidOperationException("before-hook failed") : ValueTask.FromResult(BeforeAppendDecision.Continue);
    }

    /// <summary>Every measurement of the AuditGen meter: instrument name and tags.</summary>
    private static (MeterListener Listener, ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> Seen) Listen()
    {
        var seen = new ConcurrentQueue<(string, double, Dictionary<string, object?>)>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ActivityLogTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => seen.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => seen.Enqueue((i.Name, v, ToDictionary(tags))));
        listener.Start();
        return (listener, seen);
    }

    /// <summary>A tag's text, or "" when the measurement has no such tag or its value is not text.</summary>
    private static string Tag(Dictionary<string, object?> tags, string name) => tags.TryGetValue(name, out object? value) && value is string text ? text : "";

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            result[tag.Key] = tag.Value;
        }

        return result;
    }

    [Fact]
    public async Task Each_outcome_records_a_duration_in_seconds_with_its_action_and_outcome()
    {
        (MeterListener listener, var seen) = Listen();
        using (listener)
        {
            var log = new ActivityLog(new InMemoryActivityLogRepo(), beforeHooks: [new ThrowingBeforeHook()]);
            await log.AppendAsync(Record("create_task"));
            await Assert.ThrowsAsync<ActivityHookException>(async () => await log.AppendAsync(Record("reject_task")));
        }

        // Only this test's measurements: other tests append on the same process-wide meter at the same time, some with
        // records that fail validation (no action at all).
        var durations = seen.Where(m => m.Instrument == "auditgen.append.duration" && Tag(m.Tags, "auditgen.action").EndsWith(_suffix, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, durations.Count);
        Assert.Equal([("create_task" + _suffix, "appended"), ("reject_task" + _suffix, "failed")],
            durations.Select(d => (Tag(d.Tags, "auditgen.action"), Tag(d.Tags, "auditgen.outcome"))));
        Assert.All(durations, d => Assert.InRange(d.Value, 0, 60));

        // A before-hook that throws is a hook failure too.
        Assert.Contains(seen, m => m.Instrument == "auditgen.hook.failures" && Tag(m.Tags, "auditgen.hook") == nameof(ThrowingBeforeHook) &&
            Tag(m.Tags, "auditgen.hook.stage") == "before");
    }

    [Fact]
    public async Task After_hook_side_effect_and_event_bus_failures_are_counted_and_the_record_stays()
    {
        string kind = "notify" + _suffix;
        (MeterListener listener, var seen) = Listen();
        var store = new InMemoryActivityLogRepo();
        using (listener)
        {
            var log = new ActivityLog(store, afterHooks: [new ThrowingAfterHook(kind)], sideEffectHandlers: [new ThrowingHandler(kind)], eventBus: new ThrowingBus());
            Assert.True((await log.AppendAsync(Record("create_task"))).IsAppended);
            Assert.True((await log.AppendAsync(Record("explode_task", "2"))).IsAppended);
        }

        Assert.Equal(2, (await store.QueryAsync(new ActivityQuery { ActorId = Alice })).Items.Count);
        Assert.Single(seen, m => m.Instrument == "auditgen.side_effect.failures" && Tag(m.Tags, "auditgen.side_effect.kind") == kind);
        Assert.Contains(seen, m => m.Instrument == "auditgen.hook.failures" && Tag(m.Tags, "auditgen.hook") == nameof(ThrowingAfterHook) &&
            Tag(m.Tags, "auditgen.hook.stage") == "after");
        Assert.True(seen.Count(m => m.Instrument == "auditgen.event.failures" && Tag(m.Tags, "auditgen.event_bus") == nameof(ThrowingBus)) >= 2);
    }

    [Fact]
    public async Task Append_and_query_spans_are_children_of_the_callers_span_and_the_record_carries_the_callers_trace()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ActivityLogTelemetry.Name || source.Name == "Caller" + _suffix,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var callerSource = new ActivitySource("Caller" + _suffix);
        var log = new ActivityLog(new InMemoryActivityLogRepo());

        ActivityRecord stored;
        string callerTrace, callerSpan;
        using (Activity caller = callerSource.StartActivity("request")!)
        {
            callerTrace = caller.TraceId.ToHexString();
            callerSpan = caller.SpanId.ToHexString();
            stored = (await log.AppendAsync(Record("create_task"))).Record!;
            await log.QueryAsync(new ActivityQuery { ActorId = Alice, Limit = 7 });
        }

        // The record names the caller's operation, not AuditGen's own span.
        Assert.Equal(callerTrace, stored.TraceId);
        Assert.Equal(callerSpan, stored.SpanId);

        Activity append = Assert.Single(spans, s => s.OperationName == "auditgen.append" && (string?)s.GetTagItem("auditgen.action") == "create_task" + _suffix);
        Assert.Equal(callerTrace, append.TraceId.ToHexString());
        Assert.Equal(callerSpan, append.ParentSpanId.ToHexString());
        Assert.Equal("appended", append.GetTagItem("auditgen.outcome"));
        Assert.Equal(stored.RecordId.ToString(), append.GetTagItem("auditgen.record_id"));

        Activity query = Assert.Single(spans, s => s.OperationName == "auditgen.query" && s.TraceId.ToHexString() == callerTrace);
        Assert.Equal(callerSpan, query.ParentSpanId.ToHexString());
        Assert.Equal("actor", query.GetTagItem("auditgen.query.filter"));
        Assert.Equal(7, query.GetTagItem("auditgen.query.limit"));
        Assert.Equal(1, query.GetTagItem("auditgen.query.items"));
    }

    [Fact]
    public async Task Without_an_ambient_trace_a_record_has_none_and_a_given_trace_context_is_kept()
    {
        Assert.Null(Activity.Current);
        var log = new ActivityLog(new InMemoryActivityLogRepo());
        ActivityRecord untraced = (await log.AppendAsync(Record("create_task"))).Record!;
        Assert.Null(untraced.TraceId);
        Assert.Null(untraced.SpanId);

        using var ambient = new Activity("ambient").SetIdFormat(ActivityIdFormat.W3C).Start();
        ActivityRecord given = Record("edit_task") with { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", SpanId = "00f067aa0ba902b7" };
        ActivityRecord kept = (await log.AppendAsync(given)).Record!;
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", kept.TraceId);
        Assert.Equal("00f067aa0ba902b7", kept.SpanId);

        ActivityRecord stamped = (await log.AppendAsync(Record("close_task"))).Record!;
        Assert.Equal(ambient.TraceId.ToHexString(), stamped.TraceId);
        Assert.Equal(ambient.SpanId.ToHexString(), stamped.SpanId);
    }

    [Fact]
    public async Task A_logged_use_case_in_a_transaction_stamps_the_callers_trace_and_reports_its_append()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ActivityLogTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var log = new ActivityLog(new InMemoryActivityLogRepo());
        using var caller = new Activity("request").SetIdFormat(ActivityIdFormat.W3C).Start();

        await using ActivityTransaction transaction = await ActivityTransaction.BeginAsync(log);
        AppendResult result = await transaction.CompleteAsync(Record("create_task"));

        Assert.Equal(caller.TraceId.ToHexString(), result.Record!.TraceId);
        Assert.Contains(spans, s => s.OperationName == "auditgen.append" && (string?)s.GetTagItem("auditgen.action") == "create_task" + _suffix);
    }
}
