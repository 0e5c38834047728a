namespace AuditGen;

/// <summary>
/// In-process delivery after a record is stored: the after-append hooks and the side effects they request, then
/// <see cref="ActivityRecorded"/> on the event bus (with durable delivery, only the wake-up of this process's relays);
/// every failure is logged and counted, never thrown.
/// </summary>
public sealed partial class ActivityLog
{
    /// <summary>
    /// In-process delivery: runs the after-append hooks with their side effects, then publishes <see cref="ActivityRecorded"/>;
    /// never throws. With <see cref="ActivityDelivery.Durable"/> it only wakes the relays of this process: they deliver from the stored log.
    /// </summary>
    internal async ValueTask AfterAppendAsync(ActivityRecord stored, CancellationToken cancellationToken)
    {
        if (_options.Delivery == ActivityDelivery.Durable)
        {
            ActivityAppendSignal.Appended(); // the record is committed: a relay in this process delivers it now, not at its next poll
            if (Volatile.Read(ref _warnedNoRelay) == 0 && (_afterHooks.Length > 0 || _eventBus is not null) && !ActivityLogMetrics.AnyRelayRunning &&
                Interlocked.Exchange(ref _warnedNoRelay, 1) == 0)
            {
                LogNoRelay(_logger, _store.GetType().Name);
            }

            return;
        }

        await RunAfterHooksAsync(stored, cancellationToken).ConfigureAwait(false);
        if (_eventBus is not null)
        {
            await PublishAsync(_eventBus, stored, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The after-append hooks and their side effects, in order; failures are logged and counted, never thrown.</summary>
    internal async ValueTask RunAfterHooksAsync(ActivityRecord stored, CancellationToken cancellationToken)
    {
        foreach (IAfterAppendHook hook in _afterHooks)
        {
            await RunAfterHookAsync(hook, stored, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The event bus <see cref="ActivityRecorded"/> goes to, if any.</summary>
    internal IEventBus? EventBus => _eventBus;

    private async ValueTask RunAfterHookAsync(IAfterAppendHook hook, ActivityRecord stored, CancellationToken cancellationToken)
    {
        IReadOnlyList<SideEffectRequest>? requests;
        try
        {
            requests = await hook.AfterAppendAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            ActivityLogMetrics.HookFailed(hook.GetType().Name, "after");
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
                ActivityLogMetrics.SideEffectFailed(request.Kind);
                LogNoSideEffectHandler(_logger, request.Kind, hook.GetType().Name, stored.RecordId);
                continue;
            }

            try
            {
                await handler.HandleAsync(request, stored, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                ActivityLogMetrics.SideEffectFailed(request.Kind);
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
            ActivityLogMetrics.EventFailed(eventBus.GetType().Name);
            LogPublishFailed(_logger, ex, eventBus.GetType().Name, stored.RecordId);
        }
    }
}
