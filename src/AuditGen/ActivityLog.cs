using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen;

/// <summary>
/// The activity log pipeline: an <see cref="IActivityLogRepo"/> over any adapter that stamps records, runs the
/// before-append hooks, stores the record, then runs the after-append hooks with their side effects and publishes
/// <see cref="ActivityRecorded"/>. Dependency injection registers it as <see cref="IActivityLogRepo"/>, and the
/// generated code appends through it, so hooks apply to every record.
/// </summary>
/// <remarks>
/// <para>Order of one append:</para>
/// <list type="number">
/// <item>The record is validated and, if it has no <see cref="ActivityRecord.OccurredAt"/>, stamped from the clock.</item>
/// <item>Before-append hooks run in registration order. A veto stops the append (nothing is stored); a patch hands
/// the patched record to the next hook. A hook that throws stops the append: the exception surfaces as an
/// <see cref="ActivityHookException"/> naming the hook (cancellation surfaces unwrapped).</item>
/// <item>The adapter stores the record.</item>
/// <item>After-append hooks run in registration order; the side effects each one requests are dispatched, in order,
/// to the <see cref="ISideEffectHandler"/> of their kind before the next hook runs.</item>
/// <item>The event bus, if any, gets <see cref="ActivityRecorded"/>.</item>
/// </list>
/// <para>
/// Nothing after step 3 can un-append the record: a failing after-hook, handler or event bus is logged through
/// <see cref="ILogger"/> and the rest still run. Queries go straight to the adapter.
/// </para>
/// </remarks>
public sealed partial class ActivityLog : IActivityLogRepo
{
    private readonly IActivityLogRepo _store;
    private readonly IBeforeAppendHook[] _beforeHooks;
    private readonly IAfterAppendHook[] _afterHooks;
    private readonly Dictionary<string, ISideEffectHandler> _handlers;
    private readonly IEventBus? _eventBus;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;

    /// <summary>Creates the pipeline over <paramref name="store"/>.</summary>
    /// <param name="store">The adapter that stores records.</param>
    /// <param name="beforeHooks">Before-append hooks, run in this order.</param>
    /// <param name="afterHooks">After-append hooks, run in this order.</param>
    /// <param name="sideEffectHandlers">Handlers of requested side effects, one per kind.</param>
    /// <param name="eventBus">Gets <see cref="ActivityRecorded"/> after each record is stored.</param>
    /// <param name="logger">Where failures after the append are reported.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Two side-effect handlers have the same kind, or a hook is <see langword="null"/>.</exception>
    public ActivityLog(
        IActivityLogRepo store,
        IEnumerable<IBeforeAppendHook>? beforeHooks = null,
        IEnumerable<IAfterAppendHook>? afterHooks = null,
        IEnumerable<ISideEffectHandler>? sideEffectHandlers = null,
        IEventBus? eventBus = null,
        ILogger<ActivityLog>? logger = null,
        TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _beforeHooks = NoNulls(beforeHooks, nameof(beforeHooks));
        _afterHooks = NoNulls(afterHooks, nameof(afterHooks));
        _handlers = new Dictionary<string, ISideEffectHandler>(StringComparer.Ordinal);
        foreach (ISideEffectHandler handler in NoNulls(sideEffectHandlers, nameof(sideEffectHandlers)))
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new ArgumentException(
                    $"Two side-effect handlers have kind '{handler.Kind}' ({_handlers[handler.Kind].GetType().Name} and {handler.GetType().Name}); each kind has one handler.",
                    nameof(sideEffectHandlers));
            }
        }

        _eventBus = eventBus;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The adapter this pipeline stores records in.</summary>
    public IActivityLogRepo Store => _store;

    /// <inheritdoc/>
    public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.Validate();
        if (record.OccurredAt == default)
        {
            record = record with { OccurredAt = _clock.GetUtcNow() };
        }

        foreach (IBeforeAppendHook hook in _beforeHooks)
        {
            BeforeAppendDecision decision = await RunBeforeHookAsync(hook, record, cancellationToken).ConfigureAwait(false);
            switch (decision.Kind)
            {
                case BeforeAppendDecisionKind.Veto:
                    return AppendResult.Vetoed(decision.Reason!, hook.GetType().Name);
                case BeforeAppendDecisionKind.Patch:
                    record = CheckPatch(hook, record, decision.Record!);
                    break;
            }
        }

        AppendResult result = await _store.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        if (result.Record is not { } stored)
        {
            return result; // the store is itself a pipeline whose hook vetoed
        }

        foreach (IAfterAppendHook hook in _afterHooks)
        {
            await RunAfterHookAsync(hook, stored, cancellationToken).ConfigureAwait(false);
        }

        if (_eventBus is not null)
        {
            await PublishAsync(_eventBus, stored, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <inheritdoc/>
    public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) =>
        _store.QueryAsync(query, cancellationToken);

    private static async ValueTask<BeforeAppendDecision> RunBeforeHookAsync(IBeforeAppendHook hook, ActivityRecord record,
        CancellationToken cancellationToken)
    {
        BeforeAppendDecision? decision;
        try
        {
            decision = await hook.BeforeAppendAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new ActivityHookException(hook.GetType().Name,
                $"Before-append hook {hook.GetType().Name} threw {ex.GetType().Name}: {ex.Message} Nothing was appended.", ex);
        }

        return decision ?? throw new ActivityHookException(hook.GetType().Name,
            $"Before-append hook {hook.GetType().Name} returned null; return BeforeAppendDecision.Continue, Veto(reason) or Patch(record). Nothing was appended.");
    }

    private ActivityRecord CheckPatch(IBeforeAppendHook hook, ActivityRecord current, ActivityRecord patched)
    {
        if (patched.RecordId != current.RecordId)
        {
            throw new ActivityHookException(hook.GetType().Name,
                $"Before-append hook {hook.GetType().Name} changed RecordId from {current.RecordId} to {patched.RecordId}; a patch cannot change RecordId. Nothing was appended.");
        }

        try
        {
            patched.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new ActivityHookException(hook.GetType().Name,
                $"Before-append hook {hook.GetType().Name} patched the record into an invalid one: {ex.Message} Nothing was appended.", ex);
        }

        return patched.OccurredAt == default ? patched with { OccurredAt = _clock.GetUtcNow() } : patched;
    }

    private async ValueTask RunAfterHookAsync(IAfterAppendHook hook, ActivityRecord stored, CancellationToken cancellationToken)
    {
        IReadOnlyList<SideEffectRequest>? requests;
        try
        {
            requests = await hook.AfterAppendAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogAfterHookFailed(_logger, ex, hook.GetType().Name, stored.RecordId, stored.Action);
            return;
        }

        if (requests is null)
        {
            return;
        }

        for (int i = 0; i < requests.Count; i++)
        {
            SideEffectRequest request = requests[i];
            if (request is null)
            {
                continue;
            }

            if (!_handlers.TryGetValue(request.Kind, out ISideEffectHandler? handler))
            {
                LogNoSideEffectHandler(_logger, request.Kind, hook.GetType().Name, stored.RecordId);
                continue;
            }

            try
            {
                await handler.HandleAsync(request, stored, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogSideEffectFailed(_logger, ex, request.Kind, handler.GetType().Name, stored.RecordId);
            }
        }
    }

    private async ValueTask PublishAsync(IEventBus eventBus, ActivityRecord stored, CancellationToken cancellationToken)
    {
        try
        {
            await eventBus.PublishAsync(ActivityRecorded.From(stored), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogPublishFailed(_logger, ex, eventBus.GetType().Name, stored.RecordId);
        }
    }

    private static T[] NoNulls<T>(IEnumerable<T>? items, string paramName)
        where T : class
    {
        T[] array = items is null ? [] : [.. items];
        if (Array.IndexOf(array, null) >= 0)
        {
            throw new ArgumentException($"{paramName} must not contain null.", paramName);
        }

        return array;
    }

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
