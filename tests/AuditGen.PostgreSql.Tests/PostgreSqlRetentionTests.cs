using AuditGen.Conformance;
using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.PostgreSql.Tests;

/// <summary>Retention and legal holds on a real server (a partitioned log), against the shared conformance suite.</summary>
public sealed class PostgreSqlRetentionTests : ActivityLogRetentionConformanceTests
{
    private readonly Dictionary<IActivityLogRepo, string> _schemas = [];

    protected override Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        string schema = TestServer.NewSchema();
        PostgreSqlActivityLogRepo log = TestServer.NewLog(clock, schema);
        _schemas.Add(log, schema);
        return Task.FromResult<IActivityLogRepo>(log);
    }

    private string Table(IActivityLogRepo log) => $"\"{_schemas[log]}\".activity_records";

    protected override Task DeleteDirectlyAsync(IActivityLogRepo log, long sequence, bool insideForgedWindow) => TestServer.ScalarAsync(insideForgedWindow
        ? $"SET auditgen.purge_through = '9223372036854775807'; SET auditgen.purge_before = 'infinity'; DELETE FROM {Table(log)} WHERE sequence = {sequence}"
        : $"DELETE FROM {Table(log)} WHERE sequence = {sequence}");

    protected override Task ForceDeleteAsync(IActivityLogRepo log, long sequence) => TestServer.ScalarAsync(
        $"ALTER TABLE {Table(log)} DISABLE TRIGGER activity_records_no_update_delete; DELETE FROM {Table(log)} WHERE sequence = {sequence}");

    private Task<List<string>> PartitionsAsync(IActivityLogRepo log) => TestServer.InheritorsAsync(Table(log));

    [Fact]
    public async Task Whole_partitions_go_by_drop_one_with_a_held_record_keeps_only_it_and_the_log_still_verifies()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        var january = new DateTimeOffset(2024, 1, 10, 0, 0, 0, TimeSpan.Zero);
        var stored = new List<ActivityRecord>();
        foreach (ActivityRecord record in new[]
        {
            ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"), occurredAt: january),
            ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "2"), occurredAt: january.AddDays(3)),
            ActivityRecord.Create(Bob, Bob, "create_task", new EntityRef("Task", "3"), occurredAt: january.AddMonths(1)),
            ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "4"), occurredAt: january.AddMonths(1).AddDays(1)),
            ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "5"), occurredAt: Now.AddDays(-1)),
        })
        {
            stored.Add((await log.AppendAsync(record)).Record!);
        }

        ActivityCheckpointKey key = ActivityCheckpointKey.Create("pg-retention", Now.AddYears(-5), Now.AddYears(5));
        string folder = Path.Combine(Path.GetTempPath(), "auditgen-pg-retention-" + Guid.NewGuid().ToString("N"));
        try
        {
            var checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = new FileActivityCheckpointSink(folder), Key = key }, clock: clock);
            var options = new ActivityRetentionOptions();
            options.Policy.KeepMonths = 12;
            var retention = new ActivityLogRetention(log, options, checkpointer, clock);
            await retention.PlaceHoldAsync(ActivityLegalHold.ForActor("case-bob", Bob, "litigation"), Auditor);

            ActivityPurgeResult result = await retention.PurgeAsync(Auditor);

            Assert.Equal(["activity_records_p20240101"], result.PartitionsDropped);
            Assert.Equal(3, result.RecordsPurged);
            Assert.DoesNotContain("activity_records_p20240101", await PartitionsAsync(log));
            Assert.Contains("activity_records_p20240201", await PartitionsAsync(log));
            Assert.Equal(0L, await TestServer.ScalarAsync($"SELECT count(*) FROM \"{_schemas[log]}\".auditgen_partitions WHERE name = 'activity_records_p20240101'"));
            IReadOnlyList<ActivityRecord> left = await log.GetByActorAsync(Bob);
            Assert.Equal([stored[2]], left);

            ActivityLogVerification verification = await ActivityLogVerifier.VerifyAsync((IActivityLogOutbox)log, new FileActivityCheckpointSink(folder), [key.PublicKey()]);
            Assert.True(verification.IsIntact, verification.Problem);
            Assert.Equal(3, verification.RecordsPurged);

            // A record back-dated into the dropped month gets its partition again.
            ActivityRecord late = (await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "import", new EntityRef("Task", "6"), occurredAt: january.AddDays(5)))).Record!;
            Assert.Contains("activity_records_p20240101", await PartitionsAsync(log));
            Assert.Equal(late, await ((IActivityRecordLookup)log).FindAsync(late.RecordId));
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    public override void Dispose()
    {
        foreach (IActivityLogRepo log in _schemas.Keys)
        {
            ((PostgreSqlActivityLogRepo)log).Dispose();
        }

        base.Dispose();
    }
}
