namespace AuditGen.PostgreSql;

/// <summary>How the PostgreSQL adapter connects and where its table lives.</summary>
public sealed class PostgreSqlActivityLogOptions
{
    /// <summary>An Npgsql connection string, such as <c>Host=db;Database=app;Username=app_audit</c>.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>The schema holding the log; <c>auditgen</c> unless set. A C# identifier-like name (letters, digits, underscore).</summary>
    public string Schema { get; set; } = "auditgen";

    /// <summary>Create and migrate the schema on first use (default); turn off when migrations run from <see cref="PostgreSqlActivityLogRepo.SchemaScript"/>.</summary>
    public bool CreateSchema { get; set; } = true;
}
