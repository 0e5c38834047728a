using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// What the scoped stores of one context type share for the life of the application: the options, the clock, the
/// database dialect, and whether the log's schema was already checked (once, not once per request).
/// </summary>
internal sealed class DbContextActivityLogState(EntityFrameworkCoreActivityLogOptions options, TimeProvider clock)
{
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile ActivityLogDialect? _dialect;
    private volatile bool _schemaReady = !options.CreateSchema;

    public TimeProvider Clock { get; } = clock;

    public EntityFrameworkCoreActivityLogOptions Options { get; } = options;

    public ActivityLogDialect Dialect(DbConnection connection) => _dialect ??= ActivityLogDialect.For(connection, Options.Schema, Clock);

    public bool SchemaReady => _schemaReady;

    /// <summary>The schema was found current (inside an application's transaction, where it is not created).</summary>
    public void MarkSchemaReady() => _schemaReady = true;

    /// <summary>Runs <paramref name="migrate"/> once, however many scopes arrive at once.</summary>
    public async ValueTask EnsureSchemaAsync(Func<CancellationToken, Task> migrate, CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await migrate(cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}

/// <summary>The shared state of one context type's stores, registered once per <typeparamref name="TContext"/>.</summary>
internal sealed class DbContextActivityLogState<TContext>(EntityFrameworkCoreActivityLogOptions options, TimeProvider clock)
    where TContext : DbContext
{
    public DbContextActivityLogState State { get; } = new(options, clock);
}
