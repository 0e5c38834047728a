namespace AuditGen.EntityFrameworkCore;

/// <summary>Where the EF Core store keeps the log in the application's database.</summary>
public sealed class EntityFrameworkCoreActivityLogOptions
{
    /// <summary>On PostgreSQL, the schema holding the log (<c>auditgen</c> unless set); SQLite has no schemas.</summary>
    public string Schema { get; set; } = "auditgen";

    /// <summary>
    /// Create and migrate the log's schema on first use (default), on the context's connection. Turn off when migrations run
    /// from <c>SqliteActivityLogRepo.SchemaScript</c> / <c>PostgreSqlActivityLogRepo.SchemaScript</c> or
    /// <see cref="Microsoft.EntityFrameworkCore.ActivityLogDatabaseFacadeExtensions.MigrateActivityLogAsync"/>.
    /// </summary>
    public bool CreateSchema { get; set; } = true;
}
