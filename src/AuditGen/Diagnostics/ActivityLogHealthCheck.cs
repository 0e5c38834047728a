using AuditGen.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AuditGen;

/// <summary>
/// Healthy when the activity log's store answers a one-row indexed query, when it has a versioned schema
/// (<see cref="IActivityLogSchema"/>) that schema is the one this AuditGen writes, and the durable relay, if any, is
/// within its healthy lag and age, and the checkpointer, if any, has a key that can sign now and checkpoints that are not
/// late. Resolved per check run, in the health check service's scope (so a scoped store, such
/// as the EF Core one, works).
/// </summary>
internal sealed class ActivityLogHealthCheck(IActivityLogRepo log, IEnumerable<ActivityRecordedRelay> relays, IEnumerable<Integrity.ActivityCheckpointer> checkpointers) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IActivityLogRepo store = log is ActivityLog pipeline ? pipeline.Store : log;
        string storeType = store.GetType().Name;
        try
        {
            if (store is IActivityLogSchema schema && !await schema.IsSchemaCurrentAsync(cancellationToken).ConfigureAwait(false))
            {
                return new HealthCheckResult(context.Registration.FailureStatus,
                    $"The activity log's schema ({storeType}) is not the version this AuditGen writes: run MigrateAsync or the exported schema script, or enable CreateSchema.");
            }

            await store.QueryAsync(ActivityQuery.ByAction("auditgen.health", limit: 1), cancellationToken).ConfigureAwait(false);
            foreach (ActivityRecordedRelay relay in relays)
            {
                if (relay.Behind() is { } behind)
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, $"The activity log's events are late: {behind}.");
                }
            }

            foreach (Integrity.ActivityCheckpointer checkpointer in checkpointers)
            {
                if (checkpointer.KeyProblem() is { } keyProblem)
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, $"The activity log's checkpoints cannot be signed: {keyProblem}.");
                }

                if (checkpointer.Behind() is { } behind)
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, $"The activity log's checkpoints are late: {behind}.");
                }

                if (checkpointer.WitnessProblem() is { } witnesses)
                {
                    return HealthCheckResult.Degraded($"The activity log's checkpoints wait for witnesses (appends go on): {witnesses}.");
                }
            }

            return HealthCheckResult.Healthy($"The activity log's store ({storeType}) answers and its schema is current.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"The activity log's store ({storeType}) cannot be reached: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }
}
