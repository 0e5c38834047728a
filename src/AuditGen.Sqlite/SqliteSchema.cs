using System.Globalization;
using Microsoft.Data.Sqlite;

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

        // 2: the W3C trace context of the operation that made the change (null for records without one).
        """
        ALTER TABLE activity_records ADD COLUMN trace_id TEXT;
        ALTER TABLE activity_records ADD COLUMN span_id TEXT;
        """,

        // 3: the outbox relays' checkpoints and leases (IActivityLogOutbox), beside the log they deliver.
        """
        CREATE TABLE auditgen_relays (
            relay        TEXT    PRIMARY KEY,
            sequence     INTEGER NOT NULL,   -- the last record delivered
            holder       TEXT,
            lease_until  INTEGER NOT NULL    -- UTC ticks
        );
        """,

        // 4: legal holds, and a retention purge as the one way records leave the log: the delete trigger lets a row go only
        //    while a purge's window row exists (inside the purge's transaction), only if the window allows it, and never
        //    a row a hold covers.
        """
        CREATE TABLE auditgen_legal_holds (
            name         TEXT    PRIMARY KEY,
            actor_id     BLOB,
            owner_id     BLOB,
            entity_type  TEXT,
            entity_id    TEXT,
            reason       TEXT    NOT NULL,
            placed_at    INTEGER NOT NULL    -- UTC ticks
        );
        CREATE TABLE auditgen_purge_window (
            through_sequence  INTEGER NOT NULL,
            before_ticks      INTEGER NOT NULL
        );
        DROP TRIGGER activity_records_no_delete;
        CREATE TRIGGER activity_records_no_delete BEFORE DELETE ON activity_records
        WHEN NOT EXISTS (SELECT 1 FROM auditgen_purge_window w WHERE OLD.sequence <= w.through_sequence AND OLD.occurred_at < w.before_ticks)
          OR EXISTS (SELECT 1 FROM auditgen_legal_holds h
                     WHERE h.actor_id = OLD.actor_id OR h.owner_id = OLD.owner_id OR (h.entity_type = OLD.entity_type AND h.entity_id = OLD.entity_id))
        BEGIN SELECT RAISE(ABORT, 'activity_records is append-only: DELETE is not allowed (only a retention purge removes records, and never one under legal hold)'); END;
        """,

        // 5: what changed, field by field (AuditGen.Storage.ActivityChangesJson; null for records without changes).
        """
        ALTER TABLE activity_records ADD COLUMN changes TEXT;
        """,

        // 6: the record's Merkle leaf hash (AuditGen.Integrity.ActivityRecordEncoding.LeafHash), computed at append, so the
        // checkpointer reads 40 bytes a record instead of the record; null for rows appended before (computed when read).
        """
        ALTER TABLE activity_records ADD COLUMN leaf BLOB;
        """,

        // 7: personal data: each data subject's key, wrapped by the application's key-encryption key, one per subject at a
        // time; sealed_values counts the values sealed under it (kept by each append), so erasure — deleting the row — reports
        // them in constant time.
        """
        CREATE TABLE auditgen_subject_keys (
            key_id         BLOB    PRIMARY KEY,
            subject_id     BLOB    NOT NULL UNIQUE,
            kek_id         TEXT    NOT NULL,
            wrapped_key    BLOB    NOT NULL,
            created_at     INTEGER NOT NULL,   -- UTC ticks
            sealed_values  INTEGER NOT NULL DEFAULT 0
        );
        """,
    ];

    /// <summary>Every migration, each ending by recording its version, for teams that run migrations themselves.</summary>
    public static string Script() => string.Join("\n", Migrations.Select((sql, i) => $"-- AuditGen schema version {i + 1}\n{sql}\nPRAGMA user_version = {i + 1};\n"));

    /// <summary>Whether the log's schema on this connection is the one this adapter creates (read inside <paramref name="transaction"/>).</summary>
    public static async Task<bool> IsCurrentAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == Migrations.Length;
    }

    /// <summary>Creates or migrates the schema on an open connection that has no transaction.</summary>
    public static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (SqliteCommand wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // BEGIN IMMEDIATE takes the write lock first, so a second process waits here and then finds the work done.
        await using SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        int version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database has AuditGen schema version {version}, newer than this adapter's {Migrations.Length}; upgrade AuditGen.Sqlite.");
        }

        for (int v = version; v < Migrations.Length; v++)
        {
            command.CommandText = $"{Migrations[v]}\nPRAGMA user_version = {v + 1};";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
