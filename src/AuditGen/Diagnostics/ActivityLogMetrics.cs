using System.Diagnostics.Metrics;

namespace AuditGen;

/// <summary>
/// The <c>AuditGen</c> meter. <c>auditgen.appends</c> counts appends through the pipeline by action and outcome
/// (<c>appended</c>, <c>vetoed</c>, <c>failed</c>); listen with OpenTelemetry or a <see cref="MeterListener"/>.
/// </summary>
internal static class ActivityLogMetrics
{
    public const string MeterName = "AuditGen";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Appends = Meter.CreateCounter<long>(
        "auditgen.appends", unit: "{record}", description: "Records offered to the activity log, by action and outcome.");

    public static void Appended(string action) => Count(action, "appended");

    public static void Vetoed(string action) => Count(action, "vetoed");

    public static void Failed(string action) => Count(action, "failed");

    private static void Count(string action, string outcome) =>
        Appends.Add(1, new KeyValuePair<string, object?>("auditgen.action", action), new KeyValuePair<string, object?>("auditgen.outcome", outcome));
}
