using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace AuditGen.Integrity;

/// <summary>
/// The witness instruments of the <c>AuditGen</c> meter: <c>auditgen.witness.backlog</c> (records checkpointed but not yet
/// cosigned, per witness) and <c>auditgen.witness.failures</c> (failed submissions, per witness).
/// </summary>
internal static class ActivityWitnessMetrics
{
    private static readonly Meter Meter = new(ActivityLogTelemetry.Name);
    private static readonly ConcurrentDictionary<WitnessState, Func<ActivityCheckpoint?>> Witnesses = new();

    private static readonly ObservableGauge<long> Backlog = Meter.CreateObservableGauge(
        "auditgen.witness.backlog",
        () => Witnesses.Select(w => new Measurement<long>(BacklogOf(w.Key, w.Value()), new KeyValuePair<string, object?>("auditgen.witness", w.Key.Endpoint.Name))),
        unit: "{record}", description: "Records covered by the newest checkpoint that a witness has not cosigned yet.");

    private static readonly Counter<long> Failures = Meter.CreateCounter<long>(
        "auditgen.witness.failures", unit: "{failure}", description: "Checkpoint submissions a witness did not cosign (down, refused, or a bad answer).");

    /// <summary>Records the newest checkpoint covers beyond what the witness cosigned.</summary>
    public static long BacklogOf(WitnessState witness, ActivityCheckpoint? latest) =>
        latest?.Note is null ? 0 : Math.Max(0, latest.TreeSize - witness.CosignedSize);

    public static void Started(WitnessState witness, Func<ActivityCheckpoint?> latest) => Witnesses[witness] = latest;

    public static void Stopped(WitnessState witness) => Witnesses.TryRemove(witness, out _);

    public static void Failed(WitnessState witness) =>
        Failures.Add(1, new KeyValuePair<string, object?>("auditgen.witness", witness.Endpoint.Name));
}
