using System.Data.Common;
using AuditGen.Storage;
using Microsoft.EntityFrameworkCore;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// What the scoped stores of one context type share for the life of the application: the options, the clock, the
/// database dialect, and whether the log's schema was already checked (once, not once per request).
/// </summary>
internal sealed class DbContextActivityLogState(EntityFrameworkCoreActivityLogOptions options, TimeProvider clock)
{
    private volatile ActivityLogDialect? _dialect;

    public TimeProvider Clock { get; } = clock;

    public EntityFrameworkCoreActivityLogOptions Options { get; } = options;

    /// <summary>How each entity type's changes are captured, worked out once per type; null when capture is off.</summary>
    /// <exception cref="ArgumentException">A change capture setting breaks its rule (checked here for stores built by hand).</exception>
    public ChangeCapturePlans? Plans { get; } = options.Changes.Enabled ? new ChangeCapturePlans(options.Changes.Validated()) : null;

    public ActivityLogDialect Dialect(DbConnection connection) => _dialect ??= ActivityLogDialect.For(connection, Options.Schema, Clock);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IActivitySubjectKeyStore> _subjectKeys = new(StringComparer.Ordinal);

    /// <summary>The subject keys in the database of <paramref name="connectionString"/>, one store per database for the life of the application.</summary>
    public IActivitySubjectKeyStore SubjectKeys(DbConnection connection, string connectionString) =>
        _subjectKeys.GetOrAdd(connectionString, static (cs, dialect) => dialect.SubjectKeys(cs), Dialect(connection));

    /// <summary>Whether the log's schema was created, or found current, once for this context type (not once per request).</summary>
    public SchemaGate Schema { get; } = new(static _ => Task.CompletedTask, options.CreateSchema);
}

/// <summary>The shared state of one context type's stores, registered once per <typeparamref name="TContext"/>.</summary>
internal sealed class DbContextActivityLogState<TContext>(EntityFrameworkCoreActivityLogOptions options, TimeProvider clock)
    where TContext : DbContext
{
    public DbContextActivityLogState State { get; } = new(options, clock);
}
