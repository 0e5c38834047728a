namespace AuditGen.PostgreSql;

/// <summary>The versioned schema; <c>{schema}</c> is replaced by the configured schema name (quoted).</summary>
internal static class PostgreSqlSchema
{
    /// <summary>Takes the transaction-level advisory lock that serializes appends and migrations of one schema.</summary>
    public const string Lock = "SELECT pg_advisory_xact_lock(hashtext($1));";

    public static readonly string[] Migrations =
    [
        // 1: the log, one index per query shape ending in the sequence, append-only triggers that always fire.
        """
        CREATE TABLE {schema}.activity_records (
            sequence     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            record_id    uuid        NOT NULL UNIQUE,
            actor_id     uuid        NOT NULL,
            owner_id     uuid        NOT NULL,
            action       text        NOT NULL,
            entity_type  text        NOT NULL,
            entity_id    text        NOT NULL,
            occurred_at  timestamptz NOT NULL,
            metadata     jsonb       NOT NULL
        );
        CREATE INDEX ix_activity_records_entity ON {schema}.activity_records (entity_type, entity_id, sequence);
        CREATE INDEX ix_activity_records_actor  ON {schema}.activity_records (actor_id, sequence);
        CREATE INDEX ix_activity_records_owner  ON {schema}.activity_records (owner_id, sequence);
        CREATE INDEX ix_activity_records_action ON {schema}.activity_records (action, sequence);
        CREATE FUNCTION {schema}.activity_records_reject() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'activity_records is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
        END
        $$;
        CREATE TRIGGER activity_records_no_update_delete BEFORE UPDATE OR DELETE ON {schema}.activity_records
            FOR EACH STATEMENT EXECUTE FUNCTION {schema}.activity_records_reject();
        CREATE TRIGGER activity_records_no_truncate BEFORE TRUNCATE ON {schema}.activity_records
            FOR EACH STATEMENT EXECUTE FUNCTION {schema}.activity_records_reject();
        ALTER TABLE {schema}.activity_records ENABLE ALWAYS TRIGGER activity_records_no_update_delete;
        ALTER TABLE {schema}.activity_records ENABLE ALWAYS TRIGGER activity_records_no_truncate;
        """,

        // 2: the W3C trace context of the operation that made the change (null for records without one).
        """
        ALTER TABLE {schema}.activity_records ADD COLUMN trace_id text, ADD COLUMN span_id text;
        """,

        // 3: the outbox relays' checkpoints and leases (IActivityLogOutbox), beside the log they deliver.
        """
        CREATE TABLE {schema}.auditgen_relays (
            relay        text        PRIMARY KEY,
            sequence     bigint      NOT NULL,   -- the last record delivered
            holder       text,
            lease_until  timestamptz NOT NULL
        );
        """,
    ];

    public static string Bootstrap(string schema) =>
        $"CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE IF NOT EXISTS {schema}.auditgen_schema (version integer NOT NULL); " +
        $"INSERT INTO {schema}.auditgen_schema (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM {schema}.auditgen_schema);";

    /// <summary>Every migration in order, for teams that run migrations themselves.</summary>
    public static string Script(string schema) =>
        Bootstrap(schema) + "\n" + string.Join("\n", Migrations.Select((sql, i) =>
            $"-- AuditGen schema version {i + 1}\n{sql.Replace("{schema}", schema, StringComparison.Ordinal)}\nUPDATE {schema}.auditgen_schema SET version = {i + 1};\n"));
}
