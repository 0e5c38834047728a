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

        // 4: the log partitioned by time. The table becomes a parent partitioned by range of occurred_at (a partition per
        //    PartitionMonths, created ahead and on demand by activity_records_partition_for); the rows of version 3 stay
        //    where they are, attached as one partition holding everything up to the end of this month. Every index is
        //    declared on the parent, so each partition has it. A unique index must contain the partition key, so record
        //    ids are unique in activity_record_ids (with where each record is, for lookups by id), filled by a statement
        //    trigger per insert. Update and delete are refused per row, truncate per table.
        """
        ALTER TABLE {schema}.activity_records RENAME TO activity_records_v3;
        ALTER TABLE {schema}.activity_records_v3 DROP CONSTRAINT activity_records_pkey;
        ALTER TABLE {schema}.activity_records_v3 DROP CONSTRAINT activity_records_record_id_key;
        ALTER TABLE {schema}.activity_records_v3 ALTER COLUMN sequence DROP IDENTITY;
        DROP TRIGGER activity_records_no_update_delete ON {schema}.activity_records_v3;
        ALTER INDEX {schema}.ix_activity_records_entity RENAME TO ix_activity_records_v3_entity;
        ALTER INDEX {schema}.ix_activity_records_actor RENAME TO ix_activity_records_v3_actor;
        ALTER INDEX {schema}.ix_activity_records_owner RENAME TO ix_activity_records_v3_owner;
        ALTER INDEX {schema}.ix_activity_records_action RENAME TO ix_activity_records_v3_action;

        CREATE TABLE {schema}.activity_records (
            sequence     bigint      GENERATED ALWAYS AS IDENTITY,
            record_id    uuid        NOT NULL,
            actor_id     uuid        NOT NULL,
            owner_id     uuid        NOT NULL,
            action       text        NOT NULL,
            entity_type  text        NOT NULL,
            entity_id    text        NOT NULL,
            occurred_at  timestamptz NOT NULL,
            metadata     jsonb       NOT NULL,
            trace_id     text,
            span_id      text,
            PRIMARY KEY (sequence, occurred_at)
        ) PARTITION BY RANGE (occurred_at);
        CREATE INDEX ix_activity_records_entity ON {schema}.activity_records (entity_type, entity_id, sequence);
        CREATE INDEX ix_activity_records_actor  ON {schema}.activity_records (actor_id, sequence);
        CREATE INDEX ix_activity_records_owner  ON {schema}.activity_records (owner_id, sequence);
        CREATE INDEX ix_activity_records_action ON {schema}.activity_records (action, sequence);

        CREATE TABLE {schema}.activity_record_ids (
            record_id    uuid        PRIMARY KEY,
            sequence     bigint      NOT NULL,
            occurred_at  timestamptz NOT NULL
        );
        CREATE FUNCTION {schema}.activity_records_register_ids() RETURNS trigger
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            INSERT INTO {schema}.activity_record_ids (record_id, sequence, occurred_at) SELECT record_id, sequence, occurred_at FROM inserted;
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER activity_records_register_ids AFTER INSERT ON {schema}.activity_records
            REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION {schema}.activity_records_register_ids();
        CREATE TRIGGER activity_records_no_update_delete BEFORE UPDATE OR DELETE ON {schema}.activity_records
            FOR EACH ROW EXECUTE FUNCTION {schema}.activity_records_reject();
        CREATE TRIGGER activity_records_no_truncate BEFORE TRUNCATE ON {schema}.activity_records
            FOR EACH STATEMENT EXECUTE FUNCTION {schema}.activity_records_reject();
        ALTER TABLE {schema}.activity_records ENABLE ALWAYS TRIGGER activity_records_register_ids;
        ALTER TABLE {schema}.activity_records ENABLE ALWAYS TRIGGER activity_records_no_update_delete;
        ALTER TABLE {schema}.activity_records ENABLE ALWAYS TRIGGER activity_records_no_truncate;

        -- Every partition and its bounds (lower null = from the beginning of time): the one list the functions below keep.
        CREATE TABLE {schema}.auditgen_partitions (
            name         text        PRIMARY KEY,
            lower_bound  timestamptz,
            upper_bound  timestamptz NOT NULL
        );

        -- The partition holding instant `at`, created when missing: `months` long, aligned to whole months since year 0
        -- (UTC), clipped to its neighbours. Security definer: the application role may insert without owning the table.
        CREATE FUNCTION {schema}.activity_records_partition_for(at timestamptz, months integer)
            RETURNS TABLE (lower_bound timestamptz, upper_bound timestamptz)
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            m integer;
            low timestamptz;
            high timestamptz;
            name text;
        BEGIN
            RETURN QUERY SELECT p.lower_bound, p.upper_bound FROM {schema}.auditgen_partitions p
                WHERE (p.lower_bound IS NULL OR p.lower_bound <= at) AND at < p.upper_bound;
            IF FOUND THEN
                RETURN;
            END IF;
            IF months IS NULL OR months < 1 OR months > 12 THEN
                RAISE EXCEPTION 'months must be 1 to 12, was %', months USING ERRCODE = 'invalid_parameter_value';
            END IF;
            m := extract(year FROM at AT TIME ZONE 'UTC')::integer * 12 + extract(month FROM at AT TIME ZONE 'UTC')::integer - 1;
            m := m - m % months;
            low := make_timestamptz(m / 12, m % 12 + 1, 1, 0, 0, 0, 'UTC');
            high := low + make_interval(months => months);
            SELECT greatest(low, max(p.upper_bound)) INTO low FROM {schema}.auditgen_partitions p WHERE p.upper_bound <= at;
            SELECT least(high, min(p.lower_bound)) INTO high FROM {schema}.auditgen_partitions p WHERE p.lower_bound > at;
            name := 'activity_records_' || to_char(low AT TIME ZONE 'UTC', '"p"YYYYMMDD');
            EXECUTE format('CREATE TABLE {schema}.%I PARTITION OF {schema}.activity_records FOR VALUES FROM (%L) TO (%L)', name, low, high);
            EXECUTE format('CREATE TRIGGER activity_records_no_truncate BEFORE TRUNCATE ON {schema}.%I FOR EACH STATEMENT EXECUTE FUNCTION {schema}.activity_records_reject()', name);
            EXECUTE format('ALTER TABLE {schema}.%I ENABLE ALWAYS TRIGGER activity_records_no_truncate', name);
            INSERT INTO {schema}.auditgen_partitions VALUES (name, low, high);
            RETURN QUERY SELECT low, high;
        END
        $$;

        -- Version 3's rows: attached as they are (their indexes are reused) when there are any, their ids registered, and
        -- the identity going on.
        DO $$
        DECLARE
            last bigint;
            high timestamptz;
        BEGIN
            SELECT max(sequence) INTO last FROM {schema}.activity_records_v3;
            IF last IS NULL THEN
                DROP TABLE {schema}.activity_records_v3;
                RETURN;
            END IF;
            SELECT date_trunc('month', greatest(max(occurred_at), now()) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 month'
                INTO high FROM {schema}.activity_records_v3;
            EXECUTE format('ALTER TABLE {schema}.activity_records ATTACH PARTITION {schema}.activity_records_v3 FOR VALUES FROM (MINVALUE) TO (%L)', high);
            INSERT INTO {schema}.activity_record_ids (record_id, sequence, occurred_at) SELECT record_id, sequence, occurred_at FROM {schema}.activity_records_v3;
            INSERT INTO {schema}.auditgen_partitions VALUES ('activity_records_v3', NULL, high);
            EXECUTE format('ALTER TABLE {schema}.activity_records ALTER COLUMN sequence RESTART WITH %s', last + 1);
        END
        $$;
        """,

        // 5: legal holds, and a retention purge as the one way rows leave the log: the row trigger lets a row go only inside
        //    a transaction that set the purge window (auditgen.purge_through, auditgen.purge_before, transaction-local), only
        //    if the window allows it, and never a row a hold covers. Whole partitions go by DROP, which only the owner may.
        """
        CREATE TABLE {schema}.auditgen_legal_holds (
            name         text        PRIMARY KEY,
            actor_id     uuid,
            owner_id     uuid,
            entity_type  text,
            entity_id    text,
            reason       text        NOT NULL,
            placed_at    timestamptz NOT NULL
        );
        CREATE OR REPLACE FUNCTION {schema}.activity_records_reject() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            purge_through text := current_setting('auditgen.purge_through', true);
            purge_before text := current_setting('auditgen.purge_before', true);
        BEGIN
            IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW' AND coalesce(purge_through, '') <> '' THEN
                IF OLD.sequence <= purge_through::bigint AND OLD.occurred_at < purge_before::timestamptz AND NOT EXISTS (
                    SELECT 1 FROM {schema}.auditgen_legal_holds h
                    WHERE h.actor_id = OLD.actor_id OR h.owner_id = OLD.owner_id OR (h.entity_type = OLD.entity_type AND h.entity_id = OLD.entity_id)) THEN
                    RETURN OLD;
                END IF;
            END IF;
            RAISE EXCEPTION 'activity_records is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation';
        END
        $$;
        """,

        // 6: what changed, field by field (AuditGen.Storage.ActivityChangesJson; null for records without changes). Text, not
        //    jsonb: stored and read back byte for byte, and values may hold characters jsonb refuses (U+0000).
        """
        ALTER TABLE {schema}.activity_records ADD COLUMN changes text;
        """,

        // 7: the record's Merkle leaf hash (AuditGen.Integrity.ActivityRecordEncoding.LeafHash), computed at append, so the
        //    checkpointer reads 40 bytes a record instead of the record; null for rows appended before (computed when read).
        //    The adapter inserts the record's canonical bytes with the sequence unknown; this trigger, which sees the sequence
        //    the row gets, writes it into bytes 2-9 and keeps SHA-256(0x00 ‖ bytes). A stored leaf is never believed by
        //    verification, which recomputes every leaf from the row.
        """
        ALTER TABLE {schema}.activity_records ADD COLUMN leaf bytea;
        CREATE FUNCTION {schema}.activity_records_leaf() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF NEW.leaf IS NOT NULL THEN
                NEW.leaf := sha256('\x00'::bytea || overlay(NEW.leaf PLACING int8send(NEW.sequence) FROM 2 FOR 8));
            END IF;
            RETURN NEW;
        END
        $$;
        CREATE TRIGGER activity_records_leaf BEFORE INSERT ON {schema}.activity_records
            FOR EACH ROW EXECUTE FUNCTION {schema}.activity_records_leaf();
        ALTER TABLE {schema}.activity_records ENABLE ALWAYS TRIGGER activity_records_leaf;
        """,

        // 8: personal data: each data subject's key, wrapped by the application's key-encryption key, one per subject at a
        //    time; sealed_values counts the values sealed under it (kept by each append, under the append lock), so erasure —
        //    deleting the row — reports them in constant time.
        """
        CREATE TABLE {schema}.auditgen_subject_keys (
            key_id         uuid        PRIMARY KEY,
            subject_id     uuid        NOT NULL UNIQUE,
            kek_id         text        NOT NULL,
            wrapped_key    bytea       NOT NULL,
            created_at     timestamptz NOT NULL,
            sealed_values  bigint      NOT NULL DEFAULT 0
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
