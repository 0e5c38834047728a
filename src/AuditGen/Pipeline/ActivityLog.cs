using System.Diagnostics;
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
/// <item>Every <see cref="PersonalValue"/> of the record (metadata and changes) is sealed under its subject's key by
/// <see cref="PersonalData"/>; hooks saw the clear values. Without <see cref="PersonalData"/> a record holding personal
/// values fails here, before the store: personal data is never stored in clear.</item>
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
    private readonly ActivityLogOptions _options;
    private int _warnedNoRelay;

    /// <summary>Creates the pipeline over <paramref name="store"/>.</summary>
    /// <param name="store">The adapter that stores records.</param>
    /// <param name="beforeHooks">Before-append hooks, run in this order.</param>
    /// <param name="afterHooks">After-append hooks, run in this order.</param>
    /// <param name="sideEffectHandlers">Handlers of requested side effects, one per kind.</param>
    /// <param name="eventBus">Gets <see cref="ActivityRecorded"/> after each record is stored.</param>
    /// <param name="logger">Where failures after the append are reported.</param>
    /// <param name="clock">Stamps records without <see cref="ActivityRecord.OccurredAt"/>; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="options">How logged use cases complete their records; the defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Two side-effect handlers have the same kind, or a hook is <see langword="null"/>.</exception>
    public ActivityLog(
        IActivityLogRepo store,
        IEnumerable<IBeforeAppendHook>? beforeHooks = null,
        IEnumerable<IAfterAppendHook>? afterHooks = null,
        IEnumerable<ISideEffectHandler>? sideEffectHandlers = null,
        IEventBus? eventBus = null,
        ILogger<ActivityLog>? logger = null,
        TimeProvider? clock = null,
        ActivityLogOptions? options = null)
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
        options?.Validate();
        _options = options ?? ActivityLogOptions.Default;
        if (!JoinsTransactions)
        {
            LogNotTransactional(_logger, store is InMemoryActivityLogRepo ? LogLevel.Information : LogLevel.Warning, store.GetType().Name);
        }
    }

    /// <summary>The adapter this pipeline stores records in.</summary>
    public IActivityLogRepo Store => _store;

    /// <summary>
    /// Key custody for personal data: seals <see cref="PersonalValue"/>s after the before-append hooks. Set by
    /// <c>AddActivityLog</c> when the store keeps subject keys; null means a record holding personal values is refused.
    /// </summary>
    public ActivitySubjectKeys? PersonalData { get; init; }

    /// <inheritdoc/>
    public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record = ActivityLogTracing.StampTraceContext(record);
        AppendResult result;
        using (AppendTelemetry telemetry = AppendTelemetry.Start(record))
        {
            try
            {
                (ActivityRecord prepared, AppendResult? vetoed) = await PrepareAsync(record, cancellationToken).ConfigureAwait(false);
                if (vetoed is not null)
                {
                    telemetry.Vetoed(vetoed);
                    return vetoed;
                }

                result = await _store.AppendAsync(prepared, cancellationToken).ConfigureAwait(false);
                if (result.Record is null)
                {
                    return result; // the store is itself a pipeline whose hook vetoed (and counted it)
                }

                telemetry.Appended(result.Record);
            }
            catch (Exception ex) when (telemetry.Failed(ex))
            {
                throw; // never reached: the filter records the failure and lets the exception pass
            }
        }

        await AfterAppendAsync(result.Record, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Begins a unit of work for a change and its record: inside the change's database transaction when the store can
    /// join it (<see cref="JoinsTransactions"/>), otherwise a record written after the change. The generated code calls
    /// it through <see cref="ActivityTransaction.BeginAsync"/>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the start (before any change is made).</param>
    /// <returns>The unit of work; dispose it (rolling back what was not committed).</returns>
    public async ValueTask<ActivityTransaction> BeginTransactionAsync(CancellationToken cancellationToken = default)
    {
        IActivityLogTransaction? transaction = _store is ITransactionalActivityLogRepo transactional
            ? await transactional.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        return new ActivityTransaction(this, transaction);
    }

    /// <summary>
    /// Joins a transaction the application opened on its own connection (ADO.NET, Dapper): records appended through the
    /// result are written inside <paramref name="transaction"/>, and <see cref="ActivityTransaction.CommitAsync"/> commits it,
    /// then runs the after-append hooks and publishes the events.
    /// </summary>
    /// <param name="transaction">An open transaction on a connection to the log's database.</param>
    /// <returns>The unit of work.</returns>
    /// <exception cref="NotSupportedException">The store cannot write inside an application's transaction.</exception>
    public ActivityTransaction Enlist(System.Data.Common.DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (_store is not IActivityLogEnlistment enlistment)
        {
            throw new NotSupportedException(
                $"{_store.GetType().Name} cannot write records inside an application's DbTransaction; use the SQLite or PostgreSQL adapter, or the EF Core store.");
        }

        return new ActivityTransaction(this, enlistment.Enlist(transaction));
    }

    /// <summary>
    /// Whether the store writes records in the same database transaction as the application's change
    /// (<see cref="ITransactionalActivityLogRepo"/>), so that a logged use case's change and its record commit together.
    /// </summary>
    public bool JoinsTransactions => _store is ITransactionalActivityLogRepo;

    /// <summary>The pipeline's options.</summary>
    public ActivityLogOptions Options => _options;

    internal ILogger Logger => _logger;

    /// <inheritdoc/>
    public async ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using Activity? span = ActivityLogTracing.StartQuery(query);
        try
        {
            ActivityPage page = await _store.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            span?.SetTag("auditgen.query.items", page.Items.Count);
            return page;
        }
        catch (Exception ex) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Answered by the store (its grouped query), in a span <c>auditgen.summary</c>.</remarks>
    public async ValueTask<ActivitySummary> SummarizeAsync(ActivitySummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using Activity? span = ActivityLogTracing.StartSummary(query);
        try
        {
            ActivitySummary summary = await _store.SummarizeAsync(query, cancellationToken).ConfigureAwait(false);
            span?.SetTag("auditgen.summary.total", summary.Total);
            return summary;
        }
        catch (Exception ex) when (span is not null)
        {
            span.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Answered by the store (its own rebuild, or the port's default over the entity's index).</remarks>
    public ValueTask<ActivityEntityState?> GetEntityStateAsync(EntityRef entity, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        _store.GetEntityStateAsync(entity, at, cancellationToken);

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
}
