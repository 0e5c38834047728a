using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace AuditGen;

/// <summary>
/// The <c>AuditGen</c> meter (docs/operations.md): appends by action and outcome (<c>appended</c>, <c>vetoed</c>,
/// <c>failed</c>), their duration, and the failures that never un-append a record (hooks, side effects, the event bus).
/// </summary>
internal static class ActivityLogMetrics
{
    private static readonly Meter Meter = new(ActivityLogTelemetry.Name);

    private static readonly Counter<long> Appends = Meter.CreateCounter<long>(
        "auditgen.appends", unit: "{record}", description: "Records offered to the activity log, by action and outcome.");

    private static readonly Histogram<double> AppendDuration = Meter.CreateHistogram<double>(
        "auditgen.append.duration", unit: "s", description: "Time from offering a record to its outcome: hooks, validation and the store's write.");

    private static readonly Counter<long> HookFailures = Meter.CreateCounter<long>(
        "auditgen.hook.failures", unit: "{failure}", description: "Hooks that threw, by hook type and stage (before or after the append).");

    private static readonly Counter<long> SideEffectFailures = Meter.CreateCounter<long>(
        "auditgen.side_effect.failures", unit: "{failure}", description: "Side effects whose handler threw or that had no handler, by kind.");

    private static readonly Counter<long> EventFailures = Meter.CreateCounter<long>(
        "auditgen.event.failures", unit: "{failure}", description: "ActivityRecorded events the event bus failed to publish.");

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ActivityRecordedRelay, byte> Relays = new();

    private static readonly ObservableGauge<long> RelayLag = Meter.CreateObservableGauge(
        "auditgen.relay.lag", () => Relays.Keys.Select(r => new Measurement<long>(r.Lag, new KeyValuePair<string, object?>("auditgen.relay", r.Name))),
        unit: "{record}", description: "Records stored but not yet delivered by the durable relay.");

    private static readonly ObservableGauge<double> RelayOldestAge = Meter.CreateObservableGauge(
        "auditgen.relay.oldest_undelivered_age", () => Relays.Keys.Select(r => new Measurement<double>(r.OldestUndeliveredAge.TotalSeconds, new KeyValuePair<string, object?>("auditgen.relay", r.Name))),
        unit: "s", description: "How long the oldest record not yet delivered by the durable relay has waited.");

    public static void RelayStarted(ActivityRecordedRelay relay) => Relays.TryAdd(relay, 0);

    /// <summary>Whether a relay runs in this process (the pipeline warns once when durable delivery has none).</summary>
    public static bool AnyRelayRunning => !Relays.IsEmpty;

    public static void RelayStopped(ActivityRecordedRelay relay) => Relays.TryRemove(relay, out _);

    /// <summary>Whether anyone listens to the append instruments: without a listener, appends skip timing them.</summary>
    public static bool AppendsObserved => Appends.Enabled || AppendDuration.Enabled;

    public static void Outcome(string action, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "auditgen.action", action }, { "auditgen.outcome", outcome } };
        Appends.Add(1, tags);
        AppendDuration.Record(elapsed.TotalSeconds, tags);
    }

    public static void HookFailed(string hookType, string stage) =>
        HookFailures.Add(1, new KeyValuePair<string, object?>("auditgen.hook", hookType), new KeyValuePair<string, object?>("auditgen.hook.stage", stage));

    public static void SideEffectFailed(string kind) =>
        SideEffectFailures.Add(1, new KeyValuePair<string, object?>("auditgen.side_effect.kind", kind));

    public static void EventFailed(string eventBusType) =>
        EventFailures.Add(1, new KeyValuePair<string, object?>("auditgen.event_bus", eventBusType));
}
