using System.Diagnostics;

namespace AuditGen;

/// <summary>
/// One append, observed: its span (a child of the caller's) and, at its outcome, the count and duration. Created where
/// an append enters the pipeline (<see cref="ActivityLog.AppendAsync"/>, <see cref="ActivityTransaction.AppendAsync"/>),
/// after the caller's trace context is stamped on the record.
/// </summary>
/// <remarks>
/// A struct, so an append with no listener allocates nothing for it. Exactly one of <see cref="Appended"/>,
/// <see cref="Vetoed"/> or <see cref="Failed"/> is called per append (or none, then only <see cref="Dispose"/>);
/// ending a span twice is harmless.
/// </remarks>
internal readonly struct AppendTelemetry : IDisposable
{
    private readonly string _action;
    private readonly long _started;
    private readonly Activity? _span;

    private AppendTelemetry(ActivityRecord record)
    {
        _action = record.Action;
        _started = ActivityLogMetrics.AppendsObserved ? Stopwatch.GetTimestamp() : 0;
        _span = ActivityLogTracing.StartAppend(record);
    }

    public static AppendTelemetry Start(ActivityRecord record) => new(record);

    public void Appended(ActivityRecord stored)
    {
        _span?.SetTag("auditgen.sequence", stored.Sequence);
        Finish("appended", null);
    }

    public void Vetoed(AppendResult vetoed)
    {
        _span?.SetTag("auditgen.vetoed_by", vetoed.VetoedBy);
        Finish("vetoed", null);
    }

    /// <summary>Records the failure; returns false, so it can run in an exception filter without catching.</summary>
    public bool Failed(Exception exception)
    {
        Finish("failed", exception);
        return false;
    }

    /// <summary>Ends the span, with no outcome of its own if none was recorded (a store that is itself a pipeline counted it).</summary>
    public void Dispose() => _span?.Dispose();

    private void Finish(string outcome, Exception? exception)
    {
        if (_started != 0)
        {
            ActivityLogMetrics.Outcome(_action, outcome, Stopwatch.GetElapsedTime(_started));
        }
        if (_span is not null)
        {
            _span.SetTag("auditgen.outcome", outcome);
            if (exception is not null)
            {
                _span.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                _span.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
                {
                    { "exception.type", exception.GetType().FullName },
                    { "exception.message", exception.Message },
                }));
            }

            _span.Dispose();
        }
    }
}
