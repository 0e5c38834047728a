using AuditGen.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen.Integrity;

/// <summary>
/// Binds every stored record to all before it: reads the log's leaf hashes in sequence order (as an <see cref="IActivityLogOutbox"/>:
/// the leaf each store computed at append, <see cref="ActivityRecordEncoding"/>, or computed here for rows without one), grows the RFC 6962 Merkle tree, and writes a
/// signed checkpoint to the sink every <see cref="ActivityCheckpointOptions.EveryRecords"/> records or
/// <see cref="ActivityCheckpointOptions.Interval"/>, and when the host stops. It resumes from the sink's newest checkpoint
/// after a restart or a crash, so no record is left out. One checkpointer writes at a time (a lease in the log's database,
/// like the relay's). Registered as a hosted service by <c>UseTamperEvidence</c>.
/// </summary>
public sealed partial class ActivityCheckpointer : BackgroundService
{
    /// <summary>The lease name in the log's relay table.</summary>
    private const string LeaseName = "auditgen.checkpoints";

    private readonly IActivityLogOutbox? _outbox;
    private readonly IServiceScopeFactory? _scopes;
    private readonly ActivityCheckpointOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MerkleFrontier? _tree;
    private long _lastSequence;
    private readonly List<ActivityLeaf> _pending = [];
    private DateTimeOffset _lastCheckpointAt;
    private ActivityCheckpoint? _latest;
    private int _keyRefused; // 1 after a checkpoint was refused for the key's window (logged once), 0 after one was signed
    private readonly string _origin;
    private readonly ActivityWitnessSubmitter? _witnesses;

    /// <summary>Creates a checkpointer over a store (or the pipeline over it) that is an outbox.</summary>
    /// <param name="log">The log.</param>
    /// <param name="options">Sink, key and cadence.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <param name="clock">Stamps checkpoints; <see cref="TimeProvider.System"/> when null.</param>
    public ActivityCheckpointer(IActivityLogRepo log, ActivityCheckpointOptions options, ILogger<ActivityCheckpointer>? logger = null, TimeProvider? clock = null)
        : this(options, logger, clock)
    {
        ArgumentNullException.ThrowIfNull(log);
        IActivityLogRepo store = (log as ActivityLog)?.Store ?? log;
        _outbox = store as IActivityLogOutbox ?? throw new ArgumentException(
            $"The activity log's store {store.GetType().Name} cannot be read in sequence order (IActivityLogOutbox): tamper evidence needs the SQLite, PostgreSQL, EF Core or in-memory store.",
            nameof(log));
    }

    /// <summary>Creates a checkpointer that resolves the log in a scope of its own for each read (for scoped stores).</summary>
    /// <param name="scopes">Creates the scopes.</param>
    /// <param name="options">Sink, key and cadence.</param>
    /// <param name="logger">Where failures are reported.</param>
    /// <param name="clock">Stamps checkpoints; <see cref="TimeProvider.System"/> when null.</param>
    public ActivityCheckpointer(IServiceScopeFactory scopes, ActivityCheckpointOptions options, ILogger<ActivityCheckpointer>? logger = null, TimeProvider? clock = null)
        : this(options, logger, clock)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _scopes = scopes;
    }

    private ActivityCheckpointer(ActivityCheckpointOptions options, ILogger<ActivityCheckpointer>? logger, TimeProvider? clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _origin = options.EffectiveOrigin();
        _witnesses = options.Witnesses.Count == 0 ? null : new ActivityWitnessSubmitter(options, () => Latest, _logger, _clock);
    }

    /// <summary>The log's origin: the first line of its checkpoint notes and the name of its note key.</summary>
    public string Origin => _origin;

    /// <summary>
    /// The log's checkpoint key as a signed-note verifier key (<c>origin+keyid+base64</c>): what a witness is started
    /// with (<c>auditgen witness --log-key</c>) to trust this log's checkpoints.
    /// </summary>
    public NoteVerifier VerifierKey => _options.Key!.NoteVerifier(_origin);

    /// <summary>
    /// Witnesses that failed their last submission with checkpointed records they have not cosigned: the health check reports
    /// the log degraded, naming each, its backlog and its last error; null when every witness is current.
    /// </summary>
    internal string? WitnessProblem()
    {
        if (_witnesses is null)
        {
            return null;
        }

        ActivityCheckpoint? latest = Latest;
        string[] behind = [.. _witnesses.Witnesses
            .Where(w => w.Failures > 0 && ActivityWitnessMetrics.BacklogOf(w, latest) > 0)
            .Select(w => $"witness {w.Endpoint.Name} ({w.Endpoint.Url}) has not cosigned {ActivityWitnessMetrics.BacklogOf(w, latest)} records (backlog; {w.Failures} failed attempts: {w.LastError})")];
        return behind.Length == 0 ? null : string.Join("; ", behind);
    }

    /// <summary>Records the newest checkpoint covers that each witness has not cosigned yet, by witness name.</summary>
    internal IReadOnlyDictionary<string, long> WitnessBacklog() =>
        _witnesses?.Witnesses.ToDictionary(w => w.Endpoint.Name, w => ActivityWitnessMetrics.BacklogOf(w, Latest)) ?? [];

    /// <summary>The newest checkpoint this checkpointer wrote or resumed from.</summary>
    public ActivityCheckpoint? Latest => Volatile.Read(ref _latest);

    /// <summary>Records read but not yet covered by a checkpoint.</summary>
    public int Pending
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>Why the checkpoints are behind (<see cref="ActivityCheckpointOptions.MaxHealthyCheckpointAge"/>), or null.</summary>
    internal string? Behind()
    {
        TimeSpan age = _clock.GetUtcNow() - (Latest?.IssuedAt ?? _lastCheckpointAt);
        return Pending > 0 && age > _options.MaxHealthyCheckpointAge
            ? $"the newest checkpoint is {age} old (more than {_options.MaxHealthyCheckpointAge}) and {Pending} records wait for one"
            : null;
    }

    /// <summary>
    /// Reads every record stored after the last checkpoint and writes a checkpoint covering them, if there are any (and if
    /// this checkpointer holds the lease). Used on shutdown, and by tests and tools that want a checkpoint now.
    /// </summary>
    /// <param name="cancellationToken">Cancels the read and the write.</param>
    /// <returns>The new checkpoint, or null when nothing was new or another checkpointer holds the lease.</returns>
    public async Task<ActivityCheckpoint?> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithOutboxAsync(async outbox =>
            {
                if (!await LeaseAsync(outbox, cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                while (await ReadAsync(outbox, cancellationToken).ConfigureAwait(false) > 0)
                {
                }

                return await WriteAsync(outbox, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Reads every record stored so far and writes a checkpoint covering them, then returns the sequence of the newest
    /// record any checkpoint covers: the retention boundary (a purge removes nothing after it).
    /// </summary>
    /// <exception cref="InvalidOperationException">Another checkpointer holds the lease, so this one cannot vouch for what is covered.</exception>
    internal async Task<long> CoverAllAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithOutboxAsync(async outbox =>
            {
                if (!await LeaseAsync(outbox, cancellationToken).ConfigureAwait(false))
                {
                    throw new InvalidOperationException(
                        $"Another checkpointer holds the lease '{LeaseName}' of this log: purge in the process that writes the checkpoints (or stop it first).");
                }

                while (await ReadAsync(outbox, cancellationToken).ConfigureAwait(false) > 0)
                {
                }

                await WriteAsync(outbox, cancellationToken).ConfigureAwait(false);
                return _lastSequence;
            }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The key checkpoints are signed with (purge records are signed with it too).</summary>
    internal ActivityCheckpointKey SigningKey => _options.Key!;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        WarnAboutKey();
        Task witnessing = _witnesses?.RunAsync(stoppingToken) ?? Task.CompletedTask; // beside the appends, never in their way
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int read = 0;
                try
                {
                    read = await StepAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex)
                {
                    LogCheckpointFailed(_logger, ex);
                }

                // Caught up (a read that did not fill its batch): wait for the next poll. Reading again at once would
                // chase every append as it lands, a query per record or two beside the writers, for no earlier checkpoint.
                if (read < ReadBatch)
                {
                    await Task.Delay(_options.PollInterval, _clock, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await witnessing.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CheckpointAsync(cancellationToken).ConfigureAwait(false); // on shutdown: nothing read stays uncovered
            if (_witnesses is not null)
            {
                await _witnesses.SubmitLatestAsync(cancellationToken).ConfigureAwait(false); // one last try each: a short-lived process gets witnessed too
            }
            if (_tree is not null)
            {
                // Hand the lease back (it expires now), so a restarted or another instance's checkpointer goes on at once.
                await WithOutboxAsync(async outbox => await outbox.CheckpointAsync(LeaseName, _holder, _lastSequence, TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
                    .ConfigureAwait(false);
                _tree = null; // a later call leases again and resumes from the sink

            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCheckpointFailed(_logger, ex);
        }
    }

    /// <summary>One round: read a batch, and write a checkpoint when enough records or time have gathered.</summary>
    private async Task<int> StepAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await WithOutboxAsync(async outbox =>
            {
                if (!await LeaseAsync(outbox, cancellationToken).ConfigureAwait(false))
                {
                    return 0;
                }

                int read = await ReadAsync(outbox, cancellationToken).ConfigureAwait(false);
                int pending = Pending;
                if ((pending >= _options.EveryRecords || (pending > 0 && _clock.GetUtcNow() - _lastCheckpointAt >= _options.Interval)) &&
                    !KeyRefuses(_clock.GetUtcNow()))
                {
                    await WriteAsync(outbox, cancellationToken).ConfigureAwait(false);
                }

                return read;
            }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _gate.Dispose();
        _witnesses?.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "The checkpointer could not read the log or write a checkpoint; it tries again after its poll interval.")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception);

}
