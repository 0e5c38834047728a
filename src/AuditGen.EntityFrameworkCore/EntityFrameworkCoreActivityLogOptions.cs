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

    /// <summary>
    /// Whether EF Core's automatic savepoints stay on inside the transaction a logged use case runs in (off unless set).
    /// The transaction rolls back as a whole when the use case fails, so a savepoint around each <c>SaveChanges</c> buys
    /// nothing there and costs two more round trips on PostgreSQL. Turn it on for use cases that catch a failed
    /// <c>SaveChanges</c> and go on in the same transaction (on PostgreSQL a failed statement aborts the transaction
    /// otherwise, and the record then rolls back with everything).
    /// </summary>
    public bool AutoSavepoints { get; set; }

    /// <summary>
    /// What the store captures from the <c>SaveChanges</c> calls inside a logged use case into its record's
    /// <see cref="ActivityRecord.Changes"/>, and which values it withholds or cuts (on unless
    /// <see cref="ChangeCaptureOptions.Enabled"/> is turned off).
    /// </summary>
    public ChangeCaptureOptions Changes { get; } = new();
}
