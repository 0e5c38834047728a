using AuditGen.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen;

/// <summary>
/// Durable delivery, the log as its own outbox: reads the records after its checkpoint in sequence order and, for each,
/// runs the after-append hooks with their side effects, then publishes <see cref="ActivityRecorded"/> v1 — retrying with
/// backoff until the bus takes it, never skipping one — and only then moves its checkpoint past it. At least once:
/// consumers deduplicate by <see cref="ActivityRecorded.RecordId"/>. The checkpoint and a lease live in the log's own
/// database (<see cref="IActivityLogOutbox"/>), so a restarted relay resumes where it stopped and of several relays of one
/// name only the lease holder delivers. Registered as a hosted service by <c>UseDurableDelivery</c>, and by default over
/// the durable stores.
/// </summary>
public sealed partial class ActivityRecordedRelay : BackgroundService
{
    private readonly Session? _session;
    private readonly IServiceScopeFactory? _scopes;
    private readonly ActivityRelayOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private long _lag;
    private double _oldestUndeliveredSeconds;

    /// <summary>Creates a relay over <paramref name="log"/>: the pipeline (whose hooks and event bus it runs) or a store.</summary>
    /// <param name="log">The pipeline registered by <c>AddActivityLog</c>, over a store that is an <see cref="IActivityLogOutbox"/>.</param>
    /// <param name="options">Name, batch size, polling, lease and retry timing.</param>
    /// <param name="logger">Where retries and failures are reported.</param>
    /// <param name="clock">Times leases and waits; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The store cannot be read as an outbox, or an option is out of range.</exception>
    public ActivityRecordedRelay(IActivityLogRepo log, ActivityRelayOptions? options = null, ILogger<ActivityRecordedRelay>? logger = null, TimeProvider? clock = null)
        : this(options, logger, clock)
    {
        ArgumentNullException.ThrowIfNull(log);
        _session = Session.Of(log) ?? throw new ArgumentException(Session.NotAnOutbox(log), nameof(log));
    }

    /// <summary>
    /// Creates a relay that resolves the pipeline (<see cref="IActivityLogRepo"/>) in a scope of its own for each batch, so
    /// a scoped store (the application's <c>DbContext</c>) is read through a fresh context each time.
    /// </summary>
    /// <param name="scopes">Creates the scope of each batch.</param>
    /// <param name="options">Name, batch size, polling, lease and retry timing.</param>
    /// <param name="logger">Where retries and failures are reported.</param>
    /// <param name="clock">Times leases and waits; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public ActivityRecordedRelay(IServiceScopeFactory scopes, ActivityRelayOptions? options = null, ILogger<ActivityRecordedRelay>? logger = null, TimeProvider? clock = null)
        : this(options, logger, clock)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _scopes = scopes;
    }

    private ActivityRecordedRelay(ActivityRelayOptions? options, ILogger<ActivityRecordedRelay>? logger, TimeProvider? clock)
    {
        _options = options ?? new ActivityRelayOptions();
        _options.Validate();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The relay's name (its checkpoint and lease).</summary>
    public string Name => _options.Name;

    /// <summary>Records stored but not yet delivered, as of the last batch read (0 while another relay holds the lease).</summary>
    public long Lag => Interlocked.Read(ref _lag);

    /// <summary>How long the oldest undelivered record has waited, as of the last batch read.</summary>
    public TimeSpan OldestUndeliveredAge => TimeSpan.FromSeconds(Volatile.Read(ref _oldestUndeliveredSeconds));

    /// <summary>Why the relay is behind its healthy limits (<see cref="ActivityRelayOptions.MaxHealthyLag"/>, <see cref="ActivityRelayOptions.MaxHealthyUndeliveredAge"/>), or null.</summary>
    internal string? Behind()
    {
        long lag = Lag;
        TimeSpan age = OldestUndeliveredAge;
        return lag > _options.MaxHealthyLag
            ? $"relay '{Name}' has {lag} undelivered records (more than {_options.MaxHealthyLag})"
            : age > _options.MaxHealthyUndeliveredAge
                ? $"relay '{Name}''s oldest undelivered record has waited {age} (more than {_options.MaxHealthyUndeliveredAge})"
                : null;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ActivityLogMetrics.RelayStarted(this);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                Task appended = ActivityAppendSignal.Next(); // before the read: an append committing after it wakes the wait below
                bool delivered;
                try
                {
                    delivered = await DeliverBatchAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    LogRelayFailed(_logger, ex, _options.Name);
                    delivered = false;
                }

                if (!delivered)
                {
                    await WaitAsync(appended, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            ActivityLogMetrics.RelayStopped(this);
        }
    }

    /// <summary>
    /// Waits for an append in this process or the poll interval (appends by other processes), whichever comes first. After a
    /// failed batch the wait is the poll interval too, unless an append arrives: the relay then tries again at once.
    /// </summary>
    private async Task WaitAsync(Task appended, CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        Task delay = Task.Delay(_options.PollInterval, _clock, poll.Token);
        if (await Task.WhenAny(appended, delay).ConfigureAwait(false) == delay)
        {
            await delay.ConfigureAwait(false); // throws when stopping
        }
        else
        {
            await poll.CancelAsync().ConfigureAwait(false); // woken: release the poll timer now
        }
    }

    /// <summary>
    /// Delivers one batch when this relay holds (or takes) the lease. Returns whether it delivered anything, so the caller
    /// reads again at once instead of waiting.
    /// </summary>
    /// <param name="cancellationToken">Stops delivery; what was delivered stays checkpointed.</param>
    /// <returns><see langword="true"/> when at least one record was delivered.</returns>
    public async Task<bool> DeliverBatchAsync(CancellationToken cancellationToken = default)
    {
        if (_session is { } session)
        {
            return await DeliverBatchAsync(session, cancellationToken).ConfigureAwait(false);
        }

        AsyncServiceScope scope = _scopes!.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            IActivityLogRepo log = scope.ServiceProvider.GetRequiredService<IActivityLogRepo>();
            session = Session.Of(log) ?? throw new InvalidOperationException(Session.NotAnOutbox(log));
            return await DeliverBatchAsync(session, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> DeliverBatchAsync(Session session, CancellationToken cancellationToken)
    {
        IActivityLogOutbox outbox = session.Outbox;
        long? checkpoint = await outbox.TryLeaseAsync(_options.Name, _holder, _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        if (checkpoint is null)
        {
            Interlocked.Exchange(ref _lag, 0);
            Volatile.Write(ref _oldestUndeliveredSeconds, 0);
            return false; // another relay of this name delivers
        }

        IReadOnlyList<ActivityRecord> batch = await outbox.ReadAfterAsync(checkpoint.Value, _options.BatchSize, cancellationToken).ConfigureAwait(false);
        long last = await outbox.LastSequenceAsync(cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _lag, Math.Max(0, last - checkpoint.Value));
        Volatile.Write(ref _oldestUndeliveredSeconds, batch.Count == 0 ? 0 : Math.Max(0, (_clock.GetUtcNow() - batch[0].OccurredAt).TotalSeconds));
        foreach (ActivityRecord record in batch)
        {
            if (!await DeliverAsync(session, record, cancellationToken).ConfigureAwait(false) ||
                !await outbox.CheckpointAsync(_options.Name, _holder, record.Sequence, _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                LogLeaseLost(_logger, _options.Name, record.Sequence);
                return false;
            }

            Interlocked.Decrement(ref _lag);
        }

        return batch.Count > 0;
    }

    /// <summary>Runs the record's after-append hooks, then publishes it until the bus takes it; false when the lease was lost meanwhile.</summary>
    private async Task<bool> DeliverAsync(Session session, ActivityRecord record, CancellationToken cancellationToken)
    {
        if (session.Pipeline is not null)
        {
            await session.Pipeline.RunAfterHooksAsync(record, cancellationToken).ConfigureAwait(false);
        }

        if (session.Pipeline?.EventBus is not IEventBus eventBus)
        {
            return true;
        }

        TimeSpan delay = _options.MinRetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await eventBus.PublishAsync(ActivityRecorded.From(record), cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ActivityLogMetrics.EventFailed(eventBus.GetType().Name);
                LogPublishRetry(_logger, ex, record.RecordId, record.Sequence, attempt, delay);
            }

            await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.MaxRetryDelay.Ticks));

            // Still ours? Renewing the lease (checkpoint unchanged) keeps another relay from taking over mid-retry.
            if (!await session.Outbox.CheckpointAsync(_options.Name, _holder, record.Sequence - 1, _options.LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }
    }

    /// <summary>What one batch works with: the pipeline (its hooks and event bus) and its store read as an outbox.</summary>
    private readonly record struct Session(ActivityLog? Pipeline, IActivityLogOutbox Outbox)
    {
        public static Session? Of(IActivityLogRepo log)
        {
            var pipeline = log as ActivityLog;
            return (pipeline?.Store ?? log) is IActivityLogOutbox outbox ? new Session(pipeline, outbox) : null;
        }

        public static string NotAnOutbox(IActivityLogRepo log) =>
            $"The activity log's store {((log as ActivityLog)?.Store ?? log).GetType().Name} cannot be read as an outbox (IActivityLogOutbox): durable delivery needs the SQLite, PostgreSQL, EF Core or in-memory store.";
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning,
        Message = "Publishing ActivityRecorded for record {RecordId} (sequence {Sequence}) failed (attempt {Attempt}); retrying in {Delay}. Later events wait: delivery stays in order.")]
    private static partial void LogPublishRetry(ILogger logger, Exception exception, Guid recordId, long sequence, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning,
        Message = "Relay '{Relay}' lost its lease at sequence {Sequence} to another relay, which continues from the last checkpoint.")]
    private static partial void LogLeaseLost(ILogger logger, string relay, long sequence);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error,
        Message = "Relay '{Relay}' could not read or checkpoint the log; it tries again after its poll interval.")]
    private static partial void LogRelayFailed(ILogger logger, Exception exception, string relay);
}
