using Npgsql;

namespace AuditGen.PostgreSql;

/// <summary>The log's schema: its version and script, migration on demand and inside a lock, and the checks of its version.</summary>
public sealed partial class PostgreSqlActivityLogRepo
{
    /// <summary>The schema as SQL (every version, in order) for <paramref name="schema"/>, for teams that run migrations themselves.</summary>
    /// <param name="schema">The schema name.</param>
    /// <returns>The script.</returns>
    public static string SchemaScript(string schema = "auditgen") => PostgreSqlSchema.Script($"\"{schema}\"");

    /// <summary>The schema version this adapter creates and expects.</summary>
    public static int SchemaVersion => PostgreSqlSchema.Migrations.Length;

    /// <summary>Creates or migrates the schema now, instead of on first use.</summary>
    /// <param name="cancellationToken">Cancels the migration.</param>
    /// <returns>A task that completes when the schema is current.</returns>
    /// <exception cref="InvalidOperationException">The database has a newer schema than this adapter knows.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
        _schema.MarkReady();
    }

    /// <summary>Whether the log's schema on this connection is the one this adapter creates (read inside <paramref name="transaction"/>).</summary>
    internal async Task<bool> SchemaIsCurrentAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction);
        command.Parameters.Add(new() { Value = $"{_schemaName}.auditgen_schema" });
        if (!(bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return false;
        }

        command.Parameters.Clear();
        command.CommandText = $"SELECT version FROM {_schemaName}.auditgen_schema";
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == PostgreSqlSchema.Migrations.Length;
    }

    /// <summary>Creates or migrates the schema on an open connection that has no transaction.</summary>
    internal async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(PostgreSqlSchema.Lock, connection, transaction);
        command.Parameters.Add(new() { Value = _lockName });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false); // a second process waits here, then finds the work done
        command.Parameters.Clear();
        command.CommandText = PostgreSqlSchema.Bootstrap(_schemaName);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        command.CommandText = $"SELECT version FROM {_schemaName}.auditgen_schema";
        int version = (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        if (version > PostgreSqlSchema.Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database has AuditGen schema version {version}, newer than this adapter's {PostgreSqlSchema.Migrations.Length}; upgrade AuditGen.PostgreSql.");
        }

        for (int v = version; v < PostgreSqlSchema.Migrations.Length; v++)
        {
            command.CommandText = PostgreSqlSchema.Migrations[v].Replace("{schema}", _schemaName, StringComparison.Ordinal) +
                $"\nUPDATE {_schemaName}.auditgen_schema SET version = {v + 1};";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private ValueTask EnsureSchemaAsync(CancellationToken cancellationToken) => _schema.EnsureAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<bool> IsSchemaCurrentAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SchemaIsCurrentAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }
}
