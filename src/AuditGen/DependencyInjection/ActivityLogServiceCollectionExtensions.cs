using AuditGen;
using AuditGen.Integrity;
using AuditGen.Storage;
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
        services.RemoveAll<ActivitySubjectKeys>();
        services.Add(new ServiceDescriptor(typeof(ActivitySubjectKeys), static sp => sp.GetRequiredService<ActivityLog>().PersonalData!, lifetime));
        services.RemoveAll<IActivitySubjectErasure>();
        services.Add(new ServiceDescriptor(typeof(IActivitySubjectErasure), static sp => new ActivitySubjectErasure(
            sp.GetRequiredService<ActivityLog>().PersonalData ?? throw new InvalidOperationException(
                $"The activity log's store {sp.GetRequiredService<ActivityLog>().Store.GetType().Name} keeps no subject keys (IActivitySubjectKeyStore), so it has no personal data to erase."),
            sp.GetService<IActorAccessor>()), lifetime));
        return services;
    }

    private static readonly Func<IServiceProvider, object> ResolvePipeline = static sp => sp.GetRequiredService<ActivityLog>();

    private static ActivityLog CreatePipeline(IServiceProvider sp)
    {
        IActivityLogRepo store = sp.GetRequiredService<ActivityLogStoreFactory>().Create(sp);
        return new(
            store,
            sp.GetServices<IBeforeAppendHook>(),
            sp.GetServices<IAfterAppendHook>(),
            sp.GetServices<ISideEffectHandler>(),
            sp.GetService<IEventBus>(),
            sp.GetService<ILogger<ActivityLog>>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ActivityLogOptions>())
        {
            PersonalData = store is IActivitySubjectKeyStore keys && KeyEncryptionKey(sp, store) is { } kek
                ? new ActivitySubjectKeys(keys, kek, sp.GetService<TimeProvider>(), sp.GetService<ActivitySubjectKeysOptions>())
                : null,
        };
    }

    /// <summary>
    /// The application's key-encryption key when it registered one (AuditGen.AspNetCore registers ASP.NET Core Data
    /// Protection's), else the key file beside the database (made on first run), else — for the in-memory store — a key
    /// that lives as long as the process.
    /// </summary>
    private static IActivityKeyEncryptionKey? KeyEncryptionKey(IServiceProvider sp, IActivityLogRepo store) =>
        sp.GetService<IActivityKeyEncryptionKey>() ?? store switch
        {
            IActivityLogLocation { BasePath: { } basePath } => KeyFiles.GetOrAdd(ActivityCheckpointFiles.KeyEncryptionKey(basePath),
                static path => new KeyFileOnFirstUse(path)),
            InMemoryActivityLogRepo => ProcessKey.Value,
            _ => null,
        };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IActivityKeyEncryptionKey> KeyFiles = new(StringComparer.Ordinal);

    /// <summary>The key file beside the database, read (or made) when personal data first needs it, not at startup.</summary>
    private sealed class KeyFileOnFirstUse(string path) : IActivityKeyEncryptionKey
    {
        private readonly Lazy<FileActivityKeyEncryptionKey> _key = new(() => FileActivityKeyEncryptionKey.LoadOrCreate(path).Key);

        public string Id => _key.Value.Id;

        public byte[] Wrap(ReadOnlySpan<byte> dataKey, Guid keyId) => _key.Value.Wrap(dataKey, keyId);

        public byte[] Unwrap(ReadOnlySpan<byte> wrappedKey, Guid keyId) => _key.Value.Unwrap(wrappedKey, keyId);
    }

    private static readonly Lazy<IActivityKeyEncryptionKey> ProcessKey = new(FileActivityKeyEncryptionKey.Create);
}
