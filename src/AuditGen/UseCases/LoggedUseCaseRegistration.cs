using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AuditGen;

/// <summary>The registration helpers the generated <c>AddLoggedUseCases()</c> calls; application code never needs them.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LoggedUseCaseRegistration
{
    /// <summary>
    /// Registers <typeparamref name="TService"/> wrapped by a decorator. An existing non-keyed registration of
    /// <typeparamref name="TService"/> is decorated in place with its lifetime (the original moves to a private key);
    /// otherwise <typeparamref name="TUseCase"/> is registered with <paramref name="lifetime"/> and decorated.
    /// Calling it again for the same service does nothing.
    /// </summary>
    /// <typeparam name="TService">The interface the decorator implements.</typeparam>
    /// <typeparam name="TUseCase">The use case that implements it.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="lifetime">The lifetime when <typeparamref name="TService"/> is not registered yet.</param>
    /// <param name="decorate">Wraps the inner instance.</param>
    public static void Decorate<TService, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TUseCase>(
        IServiceCollection services, ServiceLifetime lifetime, Func<IServiceProvider, TService, TService> decorate)
        where TService : class
        where TUseCase : class, TService
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(decorate);

        ServiceDescriptor? existing = services.LastOrDefault(d => d.ServiceType == typeof(TService) && !d.IsKeyedService);
        if (existing is { ImplementationFactory.Target: Decorator<TService> })
        {
            return; // already decorated
        }

        var decorator = new Decorator<TService>(decorate);
        if (existing is null)
        {
            services.TryAdd(new ServiceDescriptor(typeof(TUseCase), typeof(TUseCase), lifetime));
            services.Add(new ServiceDescriptor(typeof(TService), decorator.FromUseCase<TUseCase>, lifetime));
            return;
        }

        object key = decorator.Key;
        ServiceDescriptor original = existing.ImplementationInstance is { } instance
            ? new ServiceDescriptor(typeof(TService), key, instance)
            : existing.ImplementationFactory is { } factory
                ? new ServiceDescriptor(typeof(TService), key, (sp, _) => factory(sp), existing.Lifetime)
                : new ServiceDescriptor(typeof(TService), key, existing.ImplementationType!, existing.Lifetime);

        int index = services.IndexOf(existing);
        services[index] = new ServiceDescriptor(typeof(TService), decorator.FromKeyed, existing.Lifetime);
        services.Add(original);
    }

    /// <summary>Adds logged actions to the <see cref="ActivityActionCatalog"/> singleton.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="actions">The actions.</param>
    public static void AddActions(IServiceCollection services, IEnumerable<ActivityActionInfo> actions)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(actions);
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ActivityActionCatalog) && !d.IsKeyedService)?.ImplementationInstance
            is not ActivityActionCatalog catalog)
        {
            catalog = new ActivityActionCatalog();
            services.TryAddSingleton(catalog);
        }

        catalog.Add(actions);
    }

    /// <summary>
    /// The actor of background work (a message consumer without an <c>[Actor]</c> source): the configured
    /// <see cref="ActivityLogOptions.SystemActorId"/> of <paramref name="log"/>'s pipeline. Called by generated code before
    /// the consumer runs, so a missing system actor fails before anything changes.
    /// </summary>
    /// <param name="log">The log the consumer appends to (the pipeline registered by <c>AddActivityLog</c>).</param>
    /// <param name="action">The logged action, for the error message.</param>
    /// <returns>The system actor.</returns>
    /// <exception cref="InvalidOperationException">No system actor is configured.</exception>
    public static Guid SystemActor(IActivityLogRepo log, string action) =>
        log is ActivityLog { Options.SystemActorId: { } actor }
            ? actor
            : throw new InvalidOperationException(
                $"'{action}' runs as background work, where no person acted: set ActivityLogOptions.SystemActorId " +
                "(AddActivityLog(log => log.Configure(o => o.SystemActorId = ...))) or mark an [Actor] source on the message.");

    private sealed class Decorator<TService>(Func<IServiceProvider, TService, TService> decorate)
        where TService : class
    {
        public object Key { get; } = new();

        public object FromKeyed(IServiceProvider services) => decorate(services, services.GetRequiredKeyedService<TService>(Key));

        public object FromUseCase<TUseCase>(IServiceProvider services)
            where TUseCase : class, TService => decorate(services, services.GetRequiredService<TUseCase>());
    }
}
