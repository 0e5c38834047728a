using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>The log's schema: its version and script, migration on demand, and the check behind the health check.</summary>
public sealed partial class SqliteActivityLogRepo
{
    /// <summary>The schema as SQL, every version in order, for teams that run migrations themselves.</summary>
    public static string SchemaScript => SqliteSchema.Script();

    /// <summary>The schema version this adapter creates and expects.</summary>
    public static int SchemaVersion => SqliteSchema.Migrations.Length;

    /// <summary>Creates or migrates the schema now, instead of on first use.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="InvalidOperationException">The database has a newer schema than this adapter knows.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using SqliteConnection connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
        _schema.MarkReady();
    }

    private ValueTask EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> IsSchemaCurrentAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await SqliteSchema.IsCurrentAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }
}
