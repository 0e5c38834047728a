using System.Diagnostics;
using AuditGen.Integrity;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite.Tests;

/// <summary>
/// Someone with write access to the database file drops the append-only triggers and rewrites history; the verifier
/// detects each kind of tampering against the signed checkpoints and names the first affected sequence.
/// </summary>
public sealed class TamperTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly TempDatabase _database = new();
    private readonly ActivityCheckpointKey _key = ActivityCheckpointKey.Create("test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

    public void Dispose() => _database.Dispose();

    private FileActivityCheckpointSink Sink => FileActivityCheckpointSink.Beside(_database.FilePath);

    /// <summary>50 records, checkpointed every 20: checkpoints at 20, 40 and 50.</summary>
    private async Task SeedAsync()
    {
        var log = new SqliteActivityLogRepo(_database.ConnectionString);
        var checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = Sink, Key = _key, EveryRecords = 20 });
        for (int i = 1; i <= 50; i++)
        {
            // Every third record says what changed (encoding version 2); the others are version 1 records, as before changes.
            ActivityRecord record = ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}"),
                new Dictionary<string, object?> { ["title"] = $"task {i}" });
            await log.AppendAsync(i % 3 != 0 ? record : record with
            {
                Changes = [new EntityChange(record.EntityRef, EntityChangeKind.Modified, [new PropertyChange("Title", $"Draft {i}", $"task {i}")])],
            });
            if (i % 20 == 0)
            {
                await checkpointer.CheckpointAsync();
            }
        }

        await checkpointer.CheckpointAsync();
    }

    private async Task TamperAsync(string sql)
    {
        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER activity_records_no_update; DROP TRIGGER activity_records_no_delete; " + sql;
        await command.ExecuteNonQueryAsync();
    }

    private Task<ActivityLogVerification> VerifyAsync() =>
        ActivityLogVerifier.VerifyAsync(new SqliteActivityLogRepo(_database.ConnectionString), Sink, [_key.PublicKey()]);

    [Fact]
    public async Task An_intact_log_verifies()
    {
        await SeedAsync();
        ActivityLogVerification result = await VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(50, result.RecordsVerified);
        Assert.Equal(0, result.RecordsNotYetCovered);
        Assert.Equal(3, Directory.GetFiles(Sink.Directory).Length);
    }

    [Theory]
    [InlineData("changed action", "UPDATE activity_records SET action = 'delete_task' WHERE sequence = 17", 17, "differs")]
    [InlineData("changed metadata", "UPDATE activity_records SET metadata = '{}' WHERE sequence = 5", 5, "differs")]
    [InlineData("changed time by one tick", "UPDATE activity_records SET occurred_at = occurred_at + 1 WHERE sequence = 33", 33, "differs")]
    [InlineData("changed actor", "UPDATE activity_records SET actor_id = randomblob(16) WHERE sequence = 44", 44, "differs")]
    [InlineData("changed old value", "UPDATE activity_records SET changes = replace(changes, '\"Draft 9\"', '\"Draft X\"') WHERE sequence = 9", 9, "differs")]
    [InlineData("removed changes", "UPDATE activity_records SET changes = NULL WHERE sequence = 12", 12, "differs")]
    [InlineData("changes added afterwards", "UPDATE activity_records SET changes = (SELECT changes FROM activity_records WHERE sequence = 3) WHERE sequence = 4", 4, "differs")]
    [InlineData("deleted record", "DELETE FROM activity_records WHERE sequence = 17", 17, "is missing")]
    [InlineData("deleted newest records", "DELETE FROM activity_records WHERE sequence > 40", 41, "truncated")]
    [InlineData("deleted every record", "DELETE FROM activity_records", 1, "truncated")]
    [InlineData("forged record in place of a deleted one",
        "DELETE FROM activity_records WHERE sequence = 23; " +
        "INSERT INTO activity_records (sequence, record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
        "SELECT 23, randomblob(16), actor_id, owner_id, 'approve_payment', entity_type, entity_id, occurred_at, metadata FROM activity_records WHERE sequence = 22", 23, "differs")]
    [InlineData("forged record moved into a gap",
        "DELETE FROM activity_records WHERE sequence = 12; UPDATE activity_records SET sequence = 12 WHERE sequence = 13", 12, "differs")]
    [InlineData("reordered records",
        "UPDATE activity_records SET sequence = -30 WHERE sequence = 30; UPDATE activity_records SET sequence = 30 WHERE sequence = 31; " +
        "UPDATE activity_records SET sequence = 31 WHERE sequence = -30", 30, "differs")]
    public async Task Tampering_is_detected_at_the_first_affected_sequence(string tampering, string sql, long first, string problem)
    {
        await SeedAsync();
        await TamperAsync(sql);

        ActivityLogVerification result = await VerifyAsync();
        Assert.False(result.IsIntact, tampering);
        Assert.Equal(first, result.FirstDivergentSequence);
        Assert.Contains(problem, result.Problem);
        Assert.Equal(first - 1, result.RecordsVerified);
    }

    [Fact]
    public async Task A_record_inserted_between_two_covered_ones_is_named()
    {
        await SeedAsync();
        await TamperAsync("UPDATE activity_records SET sequence = sequence + 1000 WHERE sequence >= 10; " +
            "INSERT INTO activity_records (sequence, record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
            "SELECT 1005, randomblob(16), actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata FROM activity_records WHERE sequence = 1;");

        ActivityLogVerification result = await VerifyAsync();
        Assert.False(result.IsIntact);
        Assert.Equal(10, result.FirstDivergentSequence); // record 10 is no longer where it was checkpointed
    }

    [Fact]
    public async Task A_record_added_after_the_newest_checkpoint_is_not_yet_covered_until_the_next_one()
    {
        await SeedAsync();
        await TamperAsync(
            "INSERT INTO activity_records (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
            "SELECT randomblob(16), actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata FROM activity_records WHERE sequence = 1;");

        ActivityLogVerification result = await VerifyAsync();
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(50, result.RecordsVerified);
        Assert.Equal(1, result.RecordsNotYetCovered); // what the checkpoints cannot vouch for yet: documented, reported
    }

    [Fact]
    public async Task A_checkpointer_killed_mid_interval_leaves_no_record_uncovered_after_its_restart()
    {
        using var onDisk = new TempDatabase(onDisk: true);
        string keyFile = Path.Combine(onDisk.Folder, "checkpoint-key.json");
        ActivityCheckpointKey key = ActivityCheckpointKey.LoadOrCreate(keyFile).Key;
        var start = new ProcessStartInfo("dotnet", [CrashTests.WriterPath(), "checkpoint", onDisk.FilePath, keyFile, "40"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        long acked = 0;
        long checkpointed = 0;
        using (Process child = Process.Start(start)!)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (await child.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                if (line.StartsWith("ack ", StringComparison.Ordinal))
                {
                    acked = long.Parse(line[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("checkpoint ", StringComparison.Ordinal))
                {
                    checkpointed = long.Parse(line[11..], System.Globalization.CultureInfo.InvariantCulture);
                }

                if (checkpointed >= 80 && acked > checkpointed + 5)
                {
                    break; // mid-interval: records stored after the newest checkpoint
                }
            }

            child.Kill(); // SIGKILL: no shutdown checkpoint
            await child.WaitForExitAsync();
        }

        var sink = FileActivityCheckpointSink.Beside(onDisk.FilePath);
        var log = new SqliteActivityLogRepo(onDisk.ConnectionString);
        ActivityLogVerification before = await ActivityLogVerifier.VerifyAsync(log, sink, [key.PublicKey()]);
        Assert.True(before.IsIntact, before.Problem);
        Assert.True(before.RecordsNotYetCovered >= 5, $"{before.RecordsNotYetCovered} records after the newest checkpoint");

        await Task.Delay(TimeSpan.FromSeconds(1)); // the dead checkpointer's lease (3 x 200 ms) expires
        ActivityCheckpoint? resumed = await new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = sink, Key = key }).CheckpointAsync();
        ActivityLogVerification after = await ActivityLogVerifier.VerifyAsync(log, sink, [key.PublicKey()]);
        Assert.True(after.IsIntact, after.Problem);
        Assert.Equal(0, after.RecordsNotYetCovered);
        Assert.True(after.RecordsVerified >= acked, $"{after.RecordsVerified} verified, {acked} acknowledged");
        Assert.Equal(after.RecordsVerified, resumed!.TreeSize);
    }
}
