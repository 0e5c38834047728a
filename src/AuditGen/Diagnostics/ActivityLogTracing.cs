using System.Diagnostics;

namespace AuditGen;

/// <summary>
/// The <c>AuditGen</c> activity source (docs/operations.md): a span per append and per query, children of the caller's
/// span; and the caller's trace context stamped on records.
/// </summary>
internal static class ActivityLogTracing
{
    public static readonly ActivitySource Source = new(ActivityLogTelemetry.Name);

    /// <summary>
    /// The record with the ambient W3C trace context (<see cref="Activity.Current"/>), when it has none of its own and
    /// there is one. Called before AuditGen's own span starts, so the record names the caller's operation.
    /// </summary>
    public static ActivityRecord StampTraceContext(ActivityRecord record) =>
        record.TraceId is null && Activity.Current is { IdFormat: ActivityIdFormat.W3C } current
            ? record with { TraceId = current.TraceId.ToHexString(), SpanId = current.SpanId.ToHexString() }
            : record;

    public static Activity? StartAppend(ActivityRecord record)
    {
        Activity? span = Source.StartActivity("auditgen.append", ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("auditgen.action", record.Action);
            span.SetTag("auditgen.record_id", record.RecordId.ToString());
            span.SetTag("auditgen.entity_type", record.EntityRef.EntityType);
        }

        return span;
    }

    public static Activity? StartQuery(ActivityQuery query)
    {
        Activity? span = Source.StartActivity("auditgen.query", ActivityKind.Internal);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("auditgen.query.filter", query.Entity is not null ? "entity" : query.ActorId is not null ? "actor"
                : query.OwnerId is not null ? "owner" : query.Action is not null ? "action" : "none");
            span.SetTag("auditgen.query.limit", query.Limit);
            span.SetTag("auditgen.query.order", query.Order == ActivityOrder.NewestFirst ? "newest" : "oldest");
        }

        return span;
    }

    /// <summary>Starts the span of a summary (counts per action).</summary>
    public static Activity? StartSummary(ActivitySummaryQuery query)
    {
        Activity? span = Source.StartActivity("auditgen.summary", ActivityKind.Internal);
        span?.SetTag("auditgen.summary.by", query.ActorId is not null ? "actor" : "owner");
        return span;
    }

    /// <summary>Starts the span of a verification of the log against its checkpoints.</summary>
    public static Activity? StartVerify() => Source.StartActivity("auditgen.verify", ActivityKind.Internal);
}
