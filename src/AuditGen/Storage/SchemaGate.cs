using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;

namespace AuditGen.Storage;

/// <summary>Runs a schema migration once per adapter instance, however many callers arrive at once. For adapter implementations.</summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "A SemaphoreSlim whose wait handle is never created holds nothing to release; the gate lives as long as its adapter.")]
public sealed class SchemaGate(Func<CancellationToken, Task> migrate, bool enabled = true)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _done = !enabled;

    /// <summary>Whether the schema is known to be current (migrated here, found current, or creation is disabled).</summary>
    public bool IsReady => _done;

    /// <summary>Records that the schema is current (found so, or migrated by other means); later calls do nothing.</summary>
    public void MarkReady() => _done = true;

    /// <summary>Completes once the migration has run (at once after the first time, or when disabled).</summary>
    /// <param name="cancellationToken">Cancels waiting for, or running, the migration.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    public ValueTask EnsureAsync(CancellationToken cancellationToken) => EnsureAsync(migrate, cancellationToken);

    /// <summary>
    /// Completes once <paramref name="migration"/> (or an earlier one) has run: for adapters whose migration needs a
    /// connection of the caller's, such as a store inside the application's <c>DbContext</c>.
    /// </summary>
    /// <param name="migration">Runs the migration, if it has not run yet.</param>
    /// <param name="cancellationToken">Cancels waiting for, or running, the migration.</param>
    /// <returns>A task that completes when the schema is ready.</returns>
    public async ValueTask EnsureAsync(Func<CancellationToken, Task> migration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(migration);
        if (_done)
        {
            return;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_done)
            {
                await migration(cancellationToken).ConfigureAwait(false);
                _done = true;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Inside an application's transaction a schema cannot be created from another connection (that would wait on the
    /// application's own locks), so it is only checked there, once: <paramref name="isCurrent"/> reads the version on the
    /// application's connection.
    /// </summary>
    /// <param name="isCurrent">Whether the schema on the application's connection is the adapter's current one.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that completes when the schema is known to be current.</returns>
    /// <exception cref="InvalidOperationException">The log's table is missing or out of date.</exception>
    public async ValueTask CheckAsync(Func<CancellationToken, Task<bool>> isCurrent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isCurrent);
        if (_done)
        {
            return;
        }

        if (!await isCurrent(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException(
                "The activity log's table is missing or out of date in this database, and it is not created inside an application's transaction. " +
                "Create it first: MigrateAsync() (or SchemaScript) for the ADO.NET adapters, context.Database.MigrateActivityLogAsync() for EF Core.");
        }

        _done = true;
    }
}
