using AuditGen;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the activity log's health checks.</summary>
public static class ActivityLogHealthChecksExtensions
{
    /// <summary>
    /// Adds the health check <paramref name="name"/>: the activity log's store is reachable and its schema current.
    /// Map it with <c>app.MapHealthChecks("/health")</c>.
    /// </summary>
    /// <param name="services">The service collection, with <c>AddActivityLog</c>.</param>
    /// <param name="name">The check's name; <c>"auditgen"</c> unless set.</param>
    /// <param name="failureStatus">What a failed check reports; <see cref="HealthStatus.Unhealthy"/> unless set.</param>
    /// <param name="tags">Tags to filter checks by; <c>["auditgen"]</c> unless set.</param>
    /// <returns>The health checks builder, to add more checks.</returns>
    public static IHealthChecksBuilder AddActivityLogHealthChecks(this IServiceCollection services, string name = "auditgen",
        HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return services.AddHealthChecks().AddCheck<ActivityLogHealthCheck>(name, failureStatus, tags ?? ["auditgen"]);
    }
}
