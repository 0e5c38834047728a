namespace AuditGen.Sqlite;

/// <summary>How the SQLite adapter opens and keeps its database.</summary>
public sealed class SqliteActivityLogOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string, such as <c>Data Source=audit.db</c>.</summary>
    public string ConnectionString { get; set; } = "Data Source=auditgen.db";

    /// <summary>
    /// When a committed append is durable. <see cref="SqliteDurability.Full"/> (the default): every acknowledged append
    /// survives a crash or power loss. <see cref="SqliteDurability.Normal"/>: faster, and the database stays consistent,
    /// but the last appends acknowledged before a power loss (not a process crash) can be lost.
    /// </summary>
    public SqliteDurability Durability { get; set; } = SqliteDurability.Full;

    /// <summary>Create and migrate the schema on first use (default); turn off when migrations run from <see cref="SqliteActivityLogRepo.SchemaScript"/>.</summary>
    public bool CreateSchema { get; set; } = true;
}
