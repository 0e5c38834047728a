using Microsoft.Extensions.Logging;

namespace AuditGen;

/// <summary>The pipeline's log messages (event ids 1-8), one place to read what it reports and at which level.</summary>
public sealed partial class ActivityLog
{
    [LoggerMessage(EventId = 5,
        Message = "The activity log's store {StoreType} cannot join the change's database transaction: a logged use case's change is committed first and its record after it, so a crash in between leaves the change unrecorded. Keep the log in the application's own database (the EF Core store, or Enlist with ADO.NET) to commit both together.")]
    private static partial void LogNotTransactional(ILogger logger, LogLevel level, string storeType);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Before-append hook {HookType} vetoed the '{Action}' record of a completed use case ({Reason}); the change {Outcome}.")]
    internal static partial void LogChangeVetoed(ILogger logger, string hookType, string action, string reason, string outcome);

    [LoggerMessage(EventId = 7, Level = LogLevel.Critical,
        Message = "The '{Action}' record of a completed use case could not be written; the change stands without its record.")]
    internal static partial void LogChangeNotRecorded(ILogger logger, Exception exception, string action);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning,
        Message = "Delivery is durable but no ActivityRecordedRelay runs in this process: after-append hooks and ActivityRecorded wait in {StoreType} until one runs (a host runs it as a hosted service). Without a host, choose UseInProcessDelivery.")]
    private static partial void LogNoRelay(ILogger logger, string storeType);

    [LoggerMessage(EventId = 1, Level = LogLevel.Error,
        Message = "After-append hook {HookType} failed for record {RecordId} ({Action}); the record stays appended.")]
    private static partial void LogAfterHookFailed(ILogger logger, Exception exception, string hookType, Guid recordId, string action);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error,
        Message = "Side-effect handler {HandlerType} failed on a {Kind} request for record {RecordId}; the record stays appended.")]
    private static partial void LogSideEffectFailed(ILogger logger, Exception exception, string kind, string handlerType, Guid recordId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "No side-effect handler is registered for kind {Kind}, requested by {HookType} for record {RecordId}; the request was dropped.")]
    private static partial void LogNoSideEffectHandler(ILogger logger, string kind, string hookType, Guid recordId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error,
        Message = "Event bus {EventBusType} failed to publish ActivityRecorded for record {RecordId}; the record stays appended.")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception, string eventBusType, Guid recordId);
}
