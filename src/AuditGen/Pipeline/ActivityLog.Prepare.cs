namespace AuditGen;

/// <summary>
/// Preparing a record before it is stored: validation and stamping, the before-append hooks (each one's veto, patch or
/// failure), then sealing its personal values.
/// </summary>
public sealed partial class ActivityLog
{
    /// <summary>Validates and stamps the record, then runs the before-append hooks; a veto is returned (the caller counts outcomes).</summary>
    internal async ValueTask<(ActivityRecord Record, AppendResult? Vetoed)> PrepareAsync(ActivityRecord record, CancellationToken cancellationToken)
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
                    return (record, AppendResult.Vetoed(decision.Reason!, hook.GetType().Name));
                case BeforeAppendDecisionKind.Patch:
                    record = CheckPatch(hook, record, decision.Record!);
                    break;
            }
        }

        if (ActivitySealing.Holds<PersonalValue>(record))
        {
            if (PersonalData is null)
            {
                throw new InvalidOperationException(
                    $"Record {record.RecordId:D} ({record.Action}) holds personal data and this activity log has no key custody (ActivityLog.PersonalData): " +
                    "personal data is never stored in clear. Use a store that keeps subject keys (every shipped store does) through AddActivityLog, or set PersonalData.");
            }

            record = await PersonalData.SealAsync(record, cancellationToken).ConfigureAwait(false);
        }

        return (record, null);
    }

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
            ActivityLogMetrics.HookFailed(hook.GetType().Name, "before");
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
}
