namespace AuditGen.Sqlite;

/// <summary>The versioned schema. Version N is the N-th script; <c>PRAGMA user_version</c> holds the applied version.</summary>
internal static class SqliteSchema
{
    public const string Table = "activity_records";

    public static readonly string[] Migrations =
    [
        // 1: the log, one index per query shape with the sequence as keyset tiebreaker, append-only triggers.
        """
        CREATE TABLE activity_records (
            sequence     INTEGER PRIMARY KEY AUTOINCREMENT,
            record_id    BLOB    NOT NULL UNIQUE,
            actor_id     BLOB    NOT NULL,
            owner_id     BLOB    NOT NULL,
            action       TEXT    NOT NULL,
            entity_type  TEXT    NOT NULL,
            entity_id    TEXT    NOT NULL,
            occurred_at  INTEGER NOT NULL,   -- UTC ticks
            metadata     TEXT    NOT NULL    -- tagged JSON (AuditGen.Storage.ActivityMetadataJson)
        );
        CREATE INDEX ix_activity_records_entity ON activity_records (entity_type, entity_id, sequence);
        CREATE INDEX ix_activity_records_actor  ON activity_records (actor_id, sequence);
        CREATE INDEX ix_activity_records_owner  ON activity_records (owner_id, sequence);
        CREATE INDEX ix_activity_records_action ON activity_records (action, sequence);
        CREATE TRIGGER activity_records_no_update BEFORE UPDATE ON activity_records
        BEGIN SELECT RAISE(ABORT, 'activity_records is append-only: UPDATE is not allowed'); END;
        CREATE TRIGGER activity_records_no_delete BEFORE DELETE ON activity_records
        BEGIN SELECT RAISE(ABORT, 'activity_records is append-only: DELETE is not allowed'); END;
        """,
    ];

    /// <summary>Every migration, each ending by recording its version, for teams that run migrations themselves.</summary>
    public static string Script() => string.Join("\n", Migrations.Select((sql, i) => $"-- AuditGen schema version {i + 1}\n{sql}\nPRAGMA user_version = {i + 1};\n"));
}
