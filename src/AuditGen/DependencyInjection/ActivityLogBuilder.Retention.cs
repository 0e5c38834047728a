using AuditGen;
using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Retention with legal holds, and its optional schedule.</summary>
public sealed partial class ActivityLogBuilder
{
    /// <summary>
    /// Registers <see cref="ActivityLogRetention"/> (purges under a policy, legal holds, each recorded in the log) over the
    /// SQLite or PostgreSQL store; on a tamper-evident log (<see cref="UseTamperEvidence"/>) purges sign their records and stay
    /// under a checkpoint. With <see cref="ActivityRetentionOptions.RunEvery"/> set, <see cref="ActivityRetentionService"/>
    /// runs it as a hosted service.
    /// </summary>
    /// <param name="configure">Sets the policy (<see cref="ActivityRetentionPolicy.KeepMonths"/> is required), the batch size and the schedule.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public ActivityLogBuilder UseRetention(Action<ActivityRetentionOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ActivityRetentionOptions();
        configure(options);
        options.Validate();
        Services.Replace(ServiceDescriptor.Singleton(options));
        Services.Replace(ServiceDescriptor.Singleton(static services => new ActivityLogRetention(
            services.GetRequiredService<IActivityLogRepo>(), services.GetRequiredService<ActivityRetentionOptions>(),
            services.GetService<ActivityCheckpointer>(), services.GetService<TimeProvider>())));
        if (options.RunEvery is not null)
        {
            Services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IHostedService, ActivityRetentionService>(static services => new ActivityRetentionService(
                services.GetRequiredService<ActivityLogRetention>(), services.GetService<Logging.ILogger<ActivityRetentionService>>(), services.GetService<TimeProvider>())));
        }

        return this;
    }
}
