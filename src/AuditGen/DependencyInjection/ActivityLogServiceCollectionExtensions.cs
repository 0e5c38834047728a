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
    /// event bus registered in the container (through the builder or directly) apply, in registration order. Over a
    /// durable store (SQLite, PostgreSQL, EF Core) they are delivered by <see cref="ActivityRecordedRelay"/>, a hosted
    /// service, unless the application chose <see cref="ActivityLogBuilder.UseInProcessDelivery"/>.
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

        builder.Complete();

        // The pipeline lives as long as its store: a scoped store (the application's DbContext) makes it scoped.
        ServiceLifetime lifetime = services.Last(static d => d.ServiceType == typeof(ActivityLogStoreFactory)).ImplementationInstance is ActivityLogStoreFactory factory
            ? factory.Lifetime
            : ServiceLifetime.Singleton;
        services.RemoveAll<ActivityLog>();
        services.Add(new ServiceDescriptor(typeof(ActivityLog), CreatePipeline, lifetime));
        for (int i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IActivityLogRepo) && !services[i].IsKeyedService && services[i].ImplementationFactory == ResolvePipeline)
            {
                services.RemoveAt(i);
            }
        }

        services.TryAdd(new ServiceDescriptor(typeof(IActivityLogRepo), ResolvePipeline, lifetime));
        return services;
    }

    private static readonly Func<IServiceProvider, object> ResolvePipeline = static sp => sp.GetRequiredService<ActivityLog>();

    private static ActivityLog CreatePipeline(IServiceProvider sp) => new(
        sp.GetRequiredService<ActivityLogStoreFactory>().Create(sp),
        sp.GetServices<IBeforeAppendHook>(),
        sp.GetServices<IAfterAppendHook>(),
        sp.GetServices<ISideEffectHandler>(),
        sp.GetService<IEventBus>(),
        sp.GetService<ILogger<ActivityLog>>(),
        sp.GetService<TimeProvider>(),
        sp.GetService<ActivityLogOptions>());
}
