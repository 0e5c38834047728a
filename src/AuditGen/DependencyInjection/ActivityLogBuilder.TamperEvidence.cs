using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Tamper evidence: the checkpointer as a hosted service.</summary>
public sealed partial class ActivityLogBuilder
{
    /// <summary>
    /// Makes the log tamper-evident: <see cref="ActivityCheckpointer"/>, a hosted service, binds every record to all before
    /// it in a Merkle tree and writes signed checkpoints to <see cref="ActivityCheckpointOptions.Sink"/> with
    /// <see cref="ActivityCheckpointOptions.Key"/>; <see cref="ActivityLogVerifier"/> and <c>auditgen verify</c> check the log
    /// against them. Needs a store that is an outbox (SQLite, PostgreSQL, EF Core, in-memory) and a host.
    /// </summary>
    /// <param name="configure">Sets the sink and the key (both required) and the cadence.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The sink or the signing key is missing, or a cadence is out of range.</exception>
    public ActivityLogBuilder UseTamperEvidence(Action<ActivityCheckpointOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ActivityCheckpointOptions();
        configure(options);
        options.Validate();
        Services.Replace(ServiceDescriptor.Singleton(options));
        Services.Replace(ServiceDescriptor.Singleton(options.Sink!));
        Services.Replace(ServiceDescriptor.Singleton(static services => new ActivityLogProofs(services.GetRequiredService<IActivityCheckpointSink>())));
        Services.TryAddSingleton(static services => new ActivityCheckpointer(
            services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<ActivityCheckpointOptions>(),
            services.GetService<Logging.ILogger<ActivityCheckpointer>>(), services.GetService<TimeProvider>()));
        if (!Services.Any(static d => d.ServiceType == typeof(Hosting.IHostedService) && d.ImplementationFactory == ResolveCheckpointer))
        {
            Services.Add(ServiceDescriptor.Singleton(typeof(Hosting.IHostedService), ResolveCheckpointer));
        }

        return this;
    }

    private static readonly Func<IServiceProvider, object> ResolveCheckpointer = static services => services.GetRequiredService<ActivityCheckpointer>();
}
