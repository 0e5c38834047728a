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

    /// <summary>
    /// How many months each partition of the log holds: 1 (monthly, the default) to 12. The log is partitioned by range of
    /// <see cref="ActivityRecord.OccurredAt"/> (UTC); partitions are aligned to whole months and created by the adapter.
    /// Changing it affects partitions created afterwards only.
    /// </summary>
    public int PartitionMonths { get; set; } = 1;

    /// <summary>How many partitions after the current one the adapter keeps created ahead of time: 0 to 24, 3 unless set.</summary>
    public int PartitionsAhead { get; set; } = 3;
}
