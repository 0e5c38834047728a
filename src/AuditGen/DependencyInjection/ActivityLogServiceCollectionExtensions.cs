using AuditGen;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the activity log.</summary>
public static class ActivityLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers the activity log pipeline (<see cref="ActivityLog"/>) as <see cref="IActivityLogRepo"/>, over the
    /// in-memory adapter unless <paramref name="configure"/> chooses another, with <see cref="TimeProvider.System"/>
    /// as the clock unless a <see cref="TimeProvider"/> is already registered. Hooks, side-effect handlers and an
    /// event bus registered in the container (through the builder or directly) apply, in registration order.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Chooses the adapter and adds hooks, handlers and the event bus.</param>
    /// <returns>The service collection.</returns>
    public static IServiceCollection AddActivityLog(this IServiceCollection services, Action<ActivityLogBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);

        var builder = new ActivityLogBuilder(services);
        configure?.Invoke(builder);
        if (!services.Any(static d => d.ServiceType == typeof(ActivityLogStoreFactory)))
        {
            builder.UseInMemory();
        }

        services.TryAddSingleton(static sp => new ActivityLog(
            sp.GetRequiredService<ActivityLogStoreFactory>().Create(sp),
            sp.GetServices<IBeforeAppendHook>(),
            sp.GetServices<IAfterAppendHook>(),
            sp.GetServices<ISideEffectHandler>(),
            sp.GetService<IEventBus>(),
            sp.GetService<ILogger<ActivityLog>>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton<IActivityLogRepo>(static sp => sp.GetRequiredService<ActivityLog>());
        return services;
    }
}
