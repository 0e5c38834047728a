namespace AuditGen;

/// <summary>
/// What AuditGen reports to operators, through the BCL's <see cref="System.Diagnostics.Metrics.Meter"/> and
/// <see cref="System.Diagnostics.ActivitySource"/> (no OpenTelemetry dependency): subscribe with
/// <c>AddMeter(ActivityLogTelemetry.Name)</c> and <c>AddSource(ActivityLogTelemetry.Name)</c>. Every instrument, span
/// and attribute is listed in docs/operations.md.
/// </summary>
public static class ActivityLogTelemetry
{
    /// <summary>The name of AuditGen's meter and activity source: <c>"AuditGen"</c>.</summary>
    public const string Name = "AuditGen";
}
