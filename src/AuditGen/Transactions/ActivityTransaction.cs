namespace AuditGen;

/// <summary>
/// A unit of work for a change and its activity record. Where the store shares the change's database transaction
/// (<see cref="IsAtomic"/>), both commit together or not at all; otherwise the record is written after the change.
/// </summary>
/// <remarks>
/// <para>The generated code of every <c>[LogsActivity]</c> method runs this sequence:</para>
/// <code>
/// ActivityTransaction transaction = await ActivityTransaction.BeginAsync(log, cancellationToken);
/// await using (transaction)
/// {
///     var result = await useCase.ExecuteAsync(..., cancellationToken);   // the change
///     await transaction.CompleteAsync(ActivityRecord.Create(...));          // its record, then commit
///     return result;
/// }
/// </code>
/// <para>
/// The caller's token can stop the use case; once it has returned, <see cref="CompleteAsync"/> no longer listens to it, so
/// a client that disconnects cannot leave a change without its record. The write is bounded by
/// <see cref="ActivityLogOptions.AppendTimeout"/> instead. A failure or timeout rolls the change back with the record where
/// the store shares its transaction; where it cannot, the caller gets an <see cref="ActivityNotRecordedException"/> that
/// says the change stands unrecorded. Disposing without committing rolls back. After-append hooks, side effects and the
/// <see cref="ActivityRecorded"/> event run after the commit, so they never see a record that was rolled back.
/// </para>
/// </remarks>
public sealed class ActivityTransaction : IAsyncDisposable
{
    private readonly ActivityLog? _pipeline;
    private readonly IActivityLogRepo? _log;
    private readonly IActivityLogTransaction? _store;
    private readonly ActivityLogOptions _options;
    private List<ActivityRecord>? _appended;
    private bool _committed;
    private bool _disposed;

    internal ActivityTransaction(ActivityLog pipeline, IActivityLogTransaction? store)
    {
        _pipeline = pipeline;
        _log = pipeline;
        _store = store;
        _options = pipeline.Options;
    }

    private ActivityTransaction(IActivityLogRepo log, IActivityLogTransaction? store)
    {
        _log = log;
        _store = store;
        _options = ActivityLogOptions.Default;
    }

    /// <summary>
    /// Whether records appended through this unit of work commit in the same database transaction as the change, so that
    /// neither can exist without the other.
    /// </summary>
    public bool IsAtomic => _store is not null;

    /// <summary>
    /// Begins a unit of work on <paramref name="log"/>: on the pipeline's store transaction when <paramref name="log"/> is an
    /// <see cref="ActivityLog"/> (as registered by <c>AddActivityLog</c>), on the store's own when it is an
    /// <see cref="ITransactionalActivityLogRepo"/>, and otherwise a unit of work that writes the record after the change.
    /// </summary>
    /// <param name="log">The log the use case appends to.</param>
    /// <param name="cancellationToken">Cancels the start, before anything changed.</param>
    /// <returns>The unit of work.</returns>
    public static ValueTask<ActivityTransaction> BeginAsync(IActivityLogRepo log, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        return log switch
        {
            ActivityLog pipeline => pipeline.BeginTransactionAsync(cancellationToken),
            ITransactionalActivityLogRepo transactional => BeginOnStoreAsync(transactional, cancellationToken),
            _ => ValueTask.FromResult(new ActivityTransaction(log, null)),
        };
    }

    private static async ValueTask<ActivityTransaction> BeginOnStoreAsync(ITransactionalActivityLogRepo store, CancellationToken cancellationToken) =>
        new(store, await store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Appends a record through the before-append hooks into this unit of work. When <see cref="IsAtomic"/>, it becomes
    /// visible with the commit and after-append hooks run then; otherwise it is stored (and its hooks run) now.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The record as it will be stored, or the veto.</returns>
    /// <exception cref="InvalidOperationException">The unit of work was committed or disposed.</exception>
    public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) =>
        AppendCoreAsync(record, commit: false, cancellationToken);

    /// <summary>
    /// Appends a record; with <paramref name="commit"/> (the unit of work's last record, from <see cref="CompleteAsync"/>), the
    /// store writes it and commits in one step (<see cref="IActivityLogTransaction.AppendAndCommitAsync"/>), and
    /// the unit of work is then committed. A vetoed record commits nothing.
    /// </summary>
    private async ValueTask<AppendResult> AppendCoreAsync(ActivityRecord record, bool commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ThrowIfDone();
        if (_store is null)
        {
            return await _log!.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        }

        if (_store is IActivityChangeCapture capture)
        {
            record = capture.AttachChanges(record);
        }

        record = ActivityLogTracing.StampTraceContext(record);
        using AppendTelemetry telemetry = AppendTelemetry.Start(record);
        try
        {
            ActivityRecord prepared = record;
            if (_pipeline is not null)
            {
                (prepared, AppendResult? vetoed) = await _pipeline.PrepareAsync(record, cancellationToken).ConfigureAwait(false);
                if (vetoed is not null)
                {
                    telemetry.Vetoed(vetoed);
                    return vetoed;
                }
            }
            else
            {
                record.Validate();
            }

            ActivityRecord stored;
            if (commit)
            {
                stored = await _store.AppendAndCommitAsync(prepared, cancellationToken).ConfigureAwait(false);
                _committed = true;
            }
            else
            {
                stored = await _store.AppendAsync(prepared, cancellationToken).ConfigureAwait(false);
            }

            telemetry.Appended(stored);
            (_appended ??= []).Add(stored);
            return AppendResult.Appended(stored);
        }
        catch (Exception ex) when (telemetry.Failed(ex))
        {
            throw; // never reached: the filter records the failure and lets the exception pass
        }
    }

    /// <summary>
    /// Commits the change and the records appended so far (when this unit of work began the transaction), then runs the
    /// after-append hooks and publishes <see cref="ActivityRecorded"/> for each record.
    /// </summary>
    /// <param name="cancellationToken">Cancels the commit; the after-append hooks get it too.</param>
    /// <returns>A task that completes when the commit is durable and the hooks have run.</returns>
    /// <exception cref="InvalidOperationException">The unit of work was committed or disposed.</exception>
    public async ValueTask CommitAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDone();
        if (_store is not null)
        {
            await _store.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        _committed = true;
        await AfterCommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the after-append hooks and publishes <see cref="ActivityRecorded"/> for each record committed.</summary>
    private async ValueTask AfterCommitAsync(CancellationToken cancellationToken)
    {
        if (_pipeline is not null && _appended is not null)
        {
            foreach (ActivityRecord stored in _appended)
            {
                await _pipeline.AfterAppendAsync(stored, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Completes a use case that has returned: appends its record and commits. Takes no cancellation token on purpose:
    /// the change is made, so only <see cref="ActivityLogOptions.AppendTimeout"/> bounds the write.
    /// </summary>
    /// <param name="record">The use case's record.</param>
    /// <returns>The append's outcome; a vetoed record whose change stands (see <see cref="VetoedChangePolicy"/>).</returns>
    /// <exception cref="ActivityNotRecordedException">
    /// The record could not be written in time, or (when not <see cref="IsAtomic"/>) at all; its
    /// <see cref="ActivityNotRecordedException.ChangeCommitted"/> says whether the change stands.
    /// </exception>
    /// <exception cref="ActivityVetoedException">A hook vetoed the record and the change was rolled back with it.</exception>
    public async ValueTask<AppendResult> CompleteAsync(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        CancellationTokenSource timeout = RentTimeout();
        AppendResult result;
        try
        {
            ValueTask<AppendResult> append = AppendCoreAsync(record, commit: true, timeout.Token); // the record and the commit in one step
            if (!append.IsCompleted)
            {
                timeout.CancelAfter(_options.AppendTimeout); // a timer only for an append that has to wait
            }

            result = await append.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested)
        {
            throw NotRecorded(record.Action, ex,
                $"The '{record.Action}' record could not be written within the append timeout ({_options.AppendTimeout}).");
        }
        catch (Exception ex) when (!IsAtomic)
        {
            throw NotRecorded(record.Action, ex, $"The '{record.Action}' record could not be written: {ex.Message}");
        }
        finally
        {
            ReturnTimeout(timeout);
        }

        if (!result.IsAppended)
        {
            bool rollBack = IsAtomic && _options.VetoedChanges == VetoedChangePolicy.RollBack;
            if (_pipeline is not null)
            {
                ActivityLog.LogChangeVetoed(_pipeline.Logger, result.VetoedBy!, record.Action, result.VetoReason!,
                    rollBack ? "is rolled back" : "stands without a record");
            }

            if (rollBack)
            {
                throw new ActivityVetoedException(record.Action, result.VetoedBy!, result.VetoReason!);
            }
        }

        if (_committed)
        {
            await AfterCommitAsync(CancellationToken.None).ConfigureAwait(false); // committed with the record
            return result;
        }

        // The commit is not cancellable either: cancelling a commit in flight leaves its outcome unknown.
        await CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>The append timeout's source: one cached per thread, so an append that completes without waiting allocates none.</summary>
    [ThreadStatic]
    private static CancellationTokenSource? CachedTimeout;

    private static CancellationTokenSource RentTimeout()
    {
        CancellationTokenSource? cached = CachedTimeout;
        CachedTimeout = null;
        return cached ?? new CancellationTokenSource();
    }

    /// <summary>Keeps the source for the next append on this thread unless it fired (a fired source cannot be reset).</summary>
    private static void ReturnTimeout(CancellationTokenSource timeout)
    {
        if (timeout.TryReset())
        {
            CachedTimeout = timeout;
        }
        else
        {
            timeout.Dispose();
        }
    }

    private ActivityNotRecordedException NotRecorded(string action, Exception cause, string message)
    {
        if (IsAtomic)
        {
            return new ActivityNotRecordedException(action, changeCommitted: false, message + " The change was rolled back with it.", cause);
        }

        if (_pipeline is not null)
        {
            ActivityLog.LogChangeNotRecorded(_pipeline.Logger, cause, action);
        }

        return new ActivityNotRecordedException(action, changeCommitted: true,
            message + " The use case's change was made and stands without its record: the log's store cannot share the change's transaction.", cause);
    }

    private void ThrowIfDone()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("This activity transaction is already committed; begin a new one.");
        }
    }

    /// <summary>Ends the unit of work; a transaction it began and did not commit is rolled back.</summary>
    /// <returns>A task that completes when the transaction is released.</returns>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_store is not null)
        {
            await _store.DisposeAsync().ConfigureAwait(false);
        }
    }
}
