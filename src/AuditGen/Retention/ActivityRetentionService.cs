using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen;

/// <summary>
/// Runs <see cref="ActivityLogRetention.PurgeAsync"/> at start and then every <see cref="ActivityRetentionOptions.RunEvery"/>,
/// as <see cref="ActivityRetentionOptions.ActorId"/>. Registered by <c>UseRetention</c> when a schedule is set. A failed
/// run is logged and tried again at the next one; nothing it had committed is lost.
/// </summary>
public sealed partial class ActivityRetentionService : BackgroundService
{
    private readonly ActivityLogRetention _retention;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;

    /// <summary>Creates the schedule.</summary>
    /// <param name="retention">The retention to run.</param>
    /// <param name="logger">Where runs are reported.</param>
    /// <param name="clock">Times the runs; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException"><see cref="ActivityRetentionOptions.RunEvery"/> is not set.</exception>
    public ActivityRetentionService(ActivityLogRetention retention, ILogger<ActivityRetentionService>? logger = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(retention);
        if (retention.Options.RunEvery is null)
        {
            throw new ArgumentException("ActivityRetentionOptions.RunEvery must be set for a scheduled retention.", nameof(retention));
        }

        _retention = retention;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Completed runs (tests and health checks read it).</summary>
    public int Runs => Volatile.Read(ref _runs);

    private int _runs;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    ActivityPurgeResult result = await _retention.PurgeAsync(_retention.Options.ActorId, stoppingToken).ConfigureAwait(false);
                    LogRun(_logger, result.RecordsPurged, result.PartitionsDropped.Count, result.Records.Count);
                    Interlocked.Increment(ref _runs);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    LogRunFailed(_logger, ex);
                }

                await Task.Delay(_retention.Options.RunEvery!.Value, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Retention run: {Purged} records purged, {Partitions} partitions dropped, in {Purges} recorded purges.")]
    private static partial void LogRun(ILogger logger, long purged, int partitions, int purges);

    [LoggerMessage(EventId = 41, Level = LogLevel.Error, Message = "The retention run failed; it runs again at the next interval.")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
