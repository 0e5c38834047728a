using System.Diagnostics.CodeAnalysis;
using AuditGen;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the activity log registered by <see cref="ActivityLogServiceCollectionExtensions.AddActivityLog"/>:
/// its adapter, hooks, side-effect handlers and event bus. Everything is registered as a singleton.
/// </summary>
public sealed class ActivityLogBuilder
{
    internal ActivityLogBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection, for adapter packages that extend this builder.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Stores records in memory (the default), in an <see cref="InMemoryActivityLogRepo"/> that can also be resolved directly.</summary>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseInMemory()
    {
        Services.TryAddSingleton(static sp => new InMemoryActivityLogRepo(sp.GetService<TimeProvider>()));
        return UseStore(static sp => sp.GetRequiredService<InMemoryActivityLogRepo>());
    }

    /// <summary>Stores records in the given in-memory log.</summary>
    /// <param name="log">The log.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseInMemory(InMemoryActivityLogRepo log)
    {
        ArgumentNullException.ThrowIfNull(log);
        Services.Replace(ServiceDescriptor.Singleton(log));
        return UseStore(log);
    }

    /// <summary>Stores records in an adapter of type <typeparamref name="TStore"/>, resolved from the container (and resolvable as itself).</summary>
    /// <typeparam name="TStore">The adapter type.</typeparam>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseStore<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TStore>()
        where TStore : class, IActivityLogRepo
    {
        Services.TryAddSingleton<TStore>();
        return UseStore(static sp => sp.GetRequiredService<TStore>());
    }

    /// <summary>Stores records in the given adapter.</summary>
    /// <param name="store">The adapter.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseStore(IActivityLogRepo store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return UseStore(_ => store);
    }

    /// <summary>Stores records in the adapter the factory creates; adapter packages build their <c>Use*</c> methods on this.</summary>
    /// <param name="factory">Creates the adapter, once.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseStore(Func<IServiceProvider, IActivityLogRepo> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(new ActivityLogStoreFactory(factory)));
        return this;
    }

    /// <summary>Adds a before-append hook, run after those added before it.</summary>
    /// <typeparam name="THook">The hook type, resolved from the container.</typeparam>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder AddBeforeAppendHook<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THook>()
        where THook : class, IBeforeAppendHook
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IBeforeAppendHook, THook>());
        return this;
    }

    /// <summary>Adds a before-append hook instance, run after those added before it.</summary>
    /// <param name="hook">The hook.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder AddBeforeAppendHook(IBeforeAppendHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        Services.AddSingleton(hook);
        return this;
    }

    /// <summary>Adds an after-append hook, run after those added before it.</summary>
    /// <typeparam name="THook">The hook type, resolved from the container.</typeparam>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder AddAfterAppendHook<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THook>()
        where THook : class, IAfterAppendHook
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IAfterAppendHook, THook>());
        return this;
    }

    /// <summary>Adds an after-append hook instance, run after those added before it.</summary>
    /// <param name="hook">The hook.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder AddAfterAppendHook(IAfterAppendHook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        Services.AddSingleton(hook);
        return this;
    }

    /// <summary>Adds the handler of one kind of side effect.</summary>
    /// <typeparam name="THandler">The handler type, resolved from the container.</typeparam>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder AddSideEffectHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
        where THandler : class, ISideEffectHandler
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISideEffectHandler, THandler>());
        return this;
    }

    /// <summary>Adds a side-effect handler instance.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder AddSideEffectHandler(ISideEffectHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Services.AddSingleton(handler);
        return this;
    }

    /// <summary>Publishes <see cref="ActivityRecorded"/> to an event bus of type <typeparamref name="TBus"/>.</summary>
    /// <typeparam name="TBus">The event bus type, resolved from the container.</typeparam>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseEventBus<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TBus>()
        where TBus : class, IEventBus
    {
        Services.TryAddSingleton<TBus>();
        Services.Replace(ServiceDescriptor.Singleton<IEventBus>(static sp => sp.GetRequiredService<TBus>()));
        return this;
    }

    /// <summary>Publishes <see cref="ActivityRecorded"/> to the given event bus.</summary>
    /// <param name="eventBus">The event bus.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseEventBus(IEventBus eventBus)
    {
        ArgumentNullException.ThrowIfNull(eventBus);
        Services.Replace(ServiceDescriptor.Singleton(eventBus));
        return this;
    }
}

/// <summary>Creates the adapter the pipeline wraps; registered once, the last <c>Use*</c> wins.</summary>
internal sealed class ActivityLogStoreFactory(Func<IServiceProvider, IActivityLogRepo> create)
{
    public IActivityLogRepo Create(IServiceProvider services) => create(services);
}
