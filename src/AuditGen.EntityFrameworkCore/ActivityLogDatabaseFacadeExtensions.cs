using AuditGen.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Creates the activity log's schema in the application's database.</summary>
public static class ActivityLogDatabaseFacadeExtensions
{
    /// <summary>
    /// Creates or migrates the activity log's table, indexes and append-only triggers on the context's connection (the same
    /// schema as the SQLite and PostgreSQL adapters'). Run it after the application's own tables exist
    /// (<c>EnsureCreated</c> on SQLite creates nothing once any table exists).
    /// </summary>
    /// <param name="database">The context's database.</param>
    /// <param name="schema">On PostgreSQL, the schema holding the log.</param>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="InvalidOperationException">The context is inside a transaction, or the database has a newer log schema.</exception>
    public static Task MigrateActivityLogAsync(this DatabaseFacade database, string schema = "auditgen", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(database);
        return MigrateAsync(database, ActivityLogDialect.For(database.GetDbConnection(), schema, TimeProvider.System), cancellationToken);
    }

    internal static async Task MigrateAsync(DatabaseFacade database, ActivityLogDialect dialect, CancellationToken cancellationToken)
    {
        if (database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException("The activity log's schema is created outside a transaction; call MigrateActivityLogAsync before beginning one.");
        }

        await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await dialect.MigrateAsync(database.GetDbConnection(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await database.CloseConnectionAsync().ConfigureAwait(false);
        }
    }
}
