using AuditGen.Integrity;

namespace AuditGen.PostgreSql.Tests;

/// <summary>
/// A superuser rewrites history on a real PostgreSQL server; replica mode alone does not get past the append-only
/// triggers, so the triggers are disabled first. The verifier names the first affected sequence of each tampering.
/// </summary>
public sealed class TamperTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _schema = TestServer.NewSchema();
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-pg-checkpoints-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityCheckpointKey _key = ActivityCheckpointKey.Create("test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private FileActivityCheckpointSink Sink => new(_folder);

    private string Table => $"\"{_schema}\".activity_records";

    private async Task SeedAsync()
    {
        PostgreSqlActivityLogRepo log = TestServer.NewLog(schema: _schema);
        var checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = Sink, Key = _key, EveryRecords = 20 });
        await log.AppendManyAsync([.. Enumerable.Range(1, 50).Select(i => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}"),
            new Dictionary<string, object?> { ["title"] = $"task {i}" }))]);
        await checkpointer.CheckpointAsync();
    }

    /// <summary>The superuser turns off the append-only triggers on the log and on each of its partitions, then runs <paramref name="sql"/>.</summary>
    private Task TamperAsync(string sql) => TestServer.ScalarAsync(
        $"SET session_replication_role = replica; ALTER TABLE {Table} DISABLE TRIGGER activity_records_no_update_delete; " +
        $"ALTER TABLE {Table} DISABLE TRIGGER activity_records_no_truncate; ALTER TABLE {Table} DISABLE TRIGGER activity_records_register_ids; " +
        $"DO $$ DECLARE p regclass; BEGIN FOR p IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = '{Table}'::regclass LOOP " +
        "EXECUTE format('ALTER TABLE %s DISABLE TRIGGER activity_records_no_truncate', p); END LOOP; END $$; " +
        sql.Replace("{t}", Table, StringComparison.Ordinal));

    private Task<ActivityLogVerification> VerifyAsync() => ActivityLogVerifier.VerifyAsync(TestServer.NewLog(schema: _schema), Sink, [_key.PublicKey()]);

    [Fact]
    public async Task An_intact_log_verifies_and_replica_mode_alone_does_not_get_past_the_triggers()
    {
        await SeedAsync();
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => TestServer.ScalarAsync(
            $"SET session_replication_role = replica; UPDATE {Table} SET action = 'x' WHERE sequence = 1"));

        ActivityLogVerification result = await VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(50, result.RecordsVerified);
    }

    [Theory]
    [InlineData("changed action", "UPDATE {t} SET action = 'delete_task' WHERE sequence = 17", 17, "differs")]
    [InlineData("changed metadata", "UPDATE {t} SET metadata = '{}' WHERE sequence = 5", 5, "differs")]
    [InlineData("changed time by a microsecond", "UPDATE {t} SET occurred_at = occurred_at + interval '1 microsecond' WHERE sequence = 33", 33, "differs")]
    [InlineData("deleted record", "DELETE FROM {t} WHERE sequence = 17", 17, "is missing")]
    [InlineData("deleted newest records", "DELETE FROM {t} WHERE sequence > 40", 41, "truncated")]
    [InlineData("truncated table", "TRUNCATE {t}", 1, "truncated")]
    [InlineData("forged record in place of a deleted one",
        "DELETE FROM {t} WHERE sequence = 23; " +
        "INSERT INTO {t} (sequence, record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) OVERRIDING SYSTEM VALUE " +
        "SELECT 23, gen_random_uuid(), actor_id, owner_id, 'approve_payment', entity_type, entity_id, occurred_at, metadata FROM {t} WHERE sequence = 22", 23, "differs")]
    [InlineData("reordered records (contents swapped)",
        "UPDATE {t} AS a SET entity_id = b.entity_id, metadata = b.metadata FROM {t} AS b WHERE (a.sequence, b.sequence) IN ((30, 31), (31, 30))", 30, "differs")]
    public async Task Tampering_by_a_superuser_is_detected_at_the_first_affected_sequence(string tampering, string sql, long first, string problem)
    {
        await SeedAsync();
        await TamperAsync(sql);

        ActivityLogVerification result = await VerifyAsync();
        Assert.False(result.IsIntact, tampering);
        Assert.Equal(first, result.FirstDivergentSequence);
        Assert.Contains(problem, result.Problem);
    }
}
