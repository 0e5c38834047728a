using System.Diagnostics.CodeAnalysis;
using AuditGen;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Configures the activity log registered by <see cref="ActivityLogServiceCollectionExtensions.AddActivityLog"/>:
/// its adapter, hooks, side-effect handlers, event bus and delivery. Everything is registered as a singleton, except a
/// scoped store and the pipeline over it.
/// </summary>
public sealed partial class ActivityLogBuilder
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
    public ActivityLogBuilder UseStore(Func<IServiceProvider, IActivityLogRepo> factory) => UseStore(factory, ServiceLifetime.Singleton);

    /// <summary>
    /// Stores records in the adapter the factory creates, with a lifetime: a store that lives in a scoped service (such as
    /// the application's <c>DbContext</c>) is <see cref="ServiceLifetime.Scoped"/>, and the pipeline over it is then scoped
    /// too, so a use case and its record share that scope's context and transaction. Replaces any earlier store.
    /// </summary>
    /// <param name="factory">Creates the adapter, once per lifetime.</param>
    /// <param name="lifetime">Singleton or scoped.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseStore(Func<IServiceProvider, IActivityLogRepo> factory, ServiceLifetime lifetime) =>
        UseStore(factory, lifetime, durable: false);

    /// <summary>
    /// Stores records in a durable adapter whose log is also its outbox (<see cref="AuditGen.Storage.IActivityLogOutbox"/>): unless the
    /// application chooses (<see cref="UseInProcessDelivery"/>, <see cref="UseDurableDelivery"/> or
    /// <see cref="ActivityLogOptions.Delivery"/>), after-append hooks, side effects and <see cref="ActivityRecorded"/> are then
    /// delivered durably, by <see cref="ActivityRecordedRelay"/>. The SQLite, PostgreSQL and EF Core packages build their
    /// <c>Use*</c> methods on this. Replaces any earlier store.
    /// </summary>
    /// <param name="factory">Creates the adapter, once per lifetime; it must implement <see cref="AuditGen.Storage.IActivityLogOutbox"/>.</param>
    /// <param name="lifetime">Singleton or scoped.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseDurableStore(Func<IServiceProvider, IActivityLogRepo> factory, ServiceLifetime lifetime = ServiceLifetime.Singleton) =>
        UseStore(factory, lifetime, durable: true);

    private ActivityLogBuilder UseStore(Func<IServiceProvider, IActivityLogRepo> factory, ServiceLifetime lifetime, bool durable)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (lifetime == ServiceLifetime.Transient)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A store is Singleton or Scoped: the pipeline over it lives as long as it does.");
        }

        Services.Replace(ServiceDescriptor.Singleton(new ActivityLogStoreFactory(factory, lifetime, durable)));
        return this;
    }

    /// <summary>Sets how logged use cases complete their records: the append timeout and what a veto does to the change.</summary>
    /// <param name="configure">Adjusts the options.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder Configure(Action<ActivityLogOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        ActivityLogOptions options = Options;
        configure(options);
        options.Validate();
        return this;
    }

    /// <summary>
    /// Runs after-append hooks, side effects and <see cref="ActivityRecorded"/> in the appending call, right after the record
    /// is stored (<see cref="ActivityDelivery.InProcess"/>): best effort, lost in a crash. The default only for stores that
    /// are not durable (in-memory, or a custom <see cref="UseStore(IActivityLogRepo)"/>); choose it for a durable store
    /// that runs without a host, or whose events another process relays.
    /// </summary>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseInProcessDelivery()
    {
        Configure(static o => o.Delivery = ActivityDelivery.InProcess);
        Services.RemoveAll<ActivityRelayOptions>();
        Services.RemoveAll<ActivityRecordedRelay>();
        for (int i = Services.Count - 1; i >= 0; i--)
        {
            if (Services[i].ServiceType == typeof(Hosting.IHostedService) && Services[i].ImplementationFactory == ResolveRelay)
            {
                Services.RemoveAt(i);
            }
        }

        return this;
    }

    /// <summary>
    /// Delivers after-append hooks, side effects and <see cref="ActivityRecorded"/> from the stored log instead of the
    /// appending call (<see cref="ActivityDelivery.Durable"/>): registers <see cref="ActivityRecordedRelay"/> as a hosted
    /// service, which delivers at least once, in order, and resumes after a crash. Needs a store that is an outbox
    /// (SQLite, PostgreSQL, in-memory) and a host that runs hosted services.
    /// </summary>
    /// <param name="configure">Adjusts the relay's name, batch size, polling, lease and retries.</param>
    /// <returns>This builder.</returns>
    public ActivityLogBuilder UseDurableDelivery(Action<ActivityRelayOptions>? configure = null)
    {
        var relay = new ActivityRelayOptions();
        configure?.Invoke(relay);
        relay.Validate();
        Configure(static o => o.Delivery = ActivityDelivery.Durable);
        Services.Replace(ServiceDescriptor.Singleton(relay));
        Services.TryAddSingleton(static services => new ActivityRecordedRelay(
            services.GetRequiredService<IServiceScopeFactory>(), services.GetRequiredService<ActivityRelayOptions>(),
            services.GetService<Logging.ILogger<ActivityRecordedRelay>>(), services.GetService<TimeProvider>()));
        if (!Services.Any(static d => d.ServiceType == typeof(Hosting.IHostedService) && d.ImplementationFactory == ResolveRelay))
        {
            Services.Add(ServiceDescriptor.Singleton(typeof(Hosting.IHostedService), ResolveRelay)); // the health check sees the same one
        }

        return this;
    }

    private static readonly Func<IServiceProvider, object> ResolveRelay = static services => services.GetRequiredService<ActivityRecordedRelay>();

    /// <summary>Applies the defaults that depend on the whole configuration, after the application's <c>configure</c> ran.</summary>
    internal void Complete()
    {
        if (!Options.DeliveryChosen && Services.LastOrDefault(static d => d.ServiceType == typeof(ActivityLogStoreFactory))?.ImplementationInstance is ActivityLogStoreFactory { Durable: true })
        {
            UseDurableDelivery();
        }
    }

    /// <summary>The options of this builder's pipeline, registered once in the container.</summary>
    internal ActivityLogOptions Options
    {
        get
        {
            if (Services.LastOrDefault(static d => d.ServiceType == typeof(ActivityLogOptions) && !d.IsKeyedService)?.ImplementationInstance
                is not ActivityLogOptions options)
            {
                options = new ActivityLogOptions();
                Services.Replace(ServiceDescriptor.Singleton(options));
            }

            return options;
        }
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

/// <summary>Creates the adapter the pipeline wraps, with its lifetime; registered once, the last <c>Use*</c> wins.</summary>
internal sealed class ActivityLogStoreFactory(Func<IServiceProvider, IActivityLogRepo> create, ServiceLifetime lifetime, bool durable)
{
    public ServiceLifetime Lifetime { get; } = lifetime;

    /// <summary>Whether the store is durable and its own outbox, so delivery defaults to the relay.</summary>
    public bool Durable { get; } = durable;

    public IActivityLogRepo Create(IServiceProvider services) => create(services);
}
