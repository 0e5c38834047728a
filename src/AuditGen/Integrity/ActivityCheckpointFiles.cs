using System.Data.Common;

namespace AuditGen.Integrity;

/// <summary>
/// Where checkpoints and the development signing key live by default, beside the database: the convention the sample
/// writes and <c>auditgen verify</c> reads, in one place. For a SQLite file <c>audit.db</c>: <c>audit.db.checkpoints/</c>,
/// <c>audit.db.checkpoint-key.json</c> (private) and <c>audit.db.checkpoint-key.public.json</c>. For a PostgreSQL log, the
/// same names from <c>&lt;database&gt;.&lt;schema&gt;</c> in the current directory.
/// </summary>
public static class ActivityCheckpointFiles
{
    /// <summary>The base path of a PostgreSQL log's files: <c>&lt;database&gt;.&lt;schema&gt;</c> in the current directory.</summary>
    /// <param name="connectionString">The log's connection string (its <c>Database</c>, else its <c>Username</c>, names it).</param>
    /// <param name="schema">The log's schema.</param>
    /// <returns>A full path to add the suffixes to.</returns>
    public static string ForPostgreSql(string connectionString, string schema = "auditgen")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        string database = (builder.TryGetValue("Database", out object? name) || builder.TryGetValue("Username", out name)) && name is string { Length: > 0 } text
            ? text
            : "postgres";
        string safe = string.Concat($"{database}.{schema}".Select(static c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
        return Path.GetFullPath(safe);
    }

    /// <summary>The checkpoint directory for <paramref name="basePath"/> (a database file, or <see cref="ForPostgreSql"/>).</summary>
    /// <param name="basePath">The base path.</param>
    /// <returns><c>&lt;basePath&gt;.checkpoints</c>.</returns>
    public static string Checkpoints(string basePath) => Path.GetFullPath(basePath) + ".checkpoints";

    /// <summary>The development signing key's file (private: keep it out of backups and repositories).</summary>
    /// <param name="basePath">The base path.</param>
    /// <returns><c>&lt;basePath&gt;.checkpoint-key.json</c>.</returns>
    public static string SigningKey(string basePath) => Path.GetFullPath(basePath) + ".checkpoint-key.json";

    /// <summary>The development key's public half, which verifiers read.</summary>
    /// <param name="basePath">The base path.</param>
    /// <returns><c>&lt;basePath&gt;.checkpoint-key.public.json</c>.</returns>
    public static string PublicKey(string basePath) => ActivityCheckpointKey.PublicPath(SigningKey(basePath));

    /// <summary>The key-encryption key file beside a database (<c>audit.db.kek.json</c>), which wraps data subjects' keys.</summary>
    /// <param name="basePath">The database file, or <see cref="ForPostgreSql"/>'s path.</param>
    /// <returns>The file path.</returns>
    public static string KeyEncryptionKey(string basePath) => Path.GetFullPath(basePath) + ".kek.json";
}
