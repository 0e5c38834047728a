using AuditGen.Integrity;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite.Tests;

/// <summary>
/// Each record's Merkle leaf is computed at append and stored with its row, on every write path (single, group commit,
/// batch, enlisted, retention); rows without one (appended before the column existed) still get their leaf from their content.
/// </summary>
public sealed class LeafTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static ActivityRecord Record(int i) => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}"),
        new Dictionary<string, object?> { ["title"] = $"task {i}", ["n"] = i });

    private async Task<List<(long Sequence, byte[]? Leaf)>> StoredLeavesAsync()
    {
        await using var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, leaf FROM activity_records ORDER BY sequence";
        var rows = new List<(long, byte[]?)>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1]));
        }

        return rows;
    }

    [Fact]
    public async Task Every_write_path_stores_the_leaf_of_the_record_as_it_is_read_back()
    {
        await using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        ActivityRecord single = (await log.AppendAsync(Record(1))).Record!;
        await Task.WhenAll(Enumerable.Range(2, 16).Select(i => log.AppendAsync(Record(i)).AsTask())); // group commit
        await log.AppendManyAsync([.. Enumerable.Range(18, 10).Select(Record)]);
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using SqliteTransaction transaction = connection.BeginTransaction();
            await log.Enlist(transaction).AppendAsync(Record(28) with
            {
                Changes = [new EntityChange(new EntityRef("Task", "28"), EntityChangeKind.Modified, [new PropertyChange("Title", "a", "b")])],
            }, CancellationToken.None);
            transaction.Commit();
        }

        await log.PlaceHoldAsync(ActivityLegalHold.ForActor("hold", Alice, "litigation"), Record(29));

        IReadOnlyList<ActivityRecord> records = await log.ReadAfterAsync(0, 100);
        List<(long Sequence, byte[]? Leaf)> stored = await StoredLeavesAsync();
        Assert.Equal(29, records.Count);
        Assert.Equal(records.Select(r => r.Sequence), stored.Select(s => s.Sequence));
        for (int i = 0; i < records.Count; i++)
        {
            Assert.True(stored[i].Leaf is not null, $"record {records[i].Sequence} has no stored leaf");
            Assert.Equal(ActivityRecordEncoding.LeafHash(records[i]), stored[i].Leaf);
        }

        Assert.Equal(ActivityRecordEncoding.LeafHash(single), stored[0].Leaf);
        Assert.Equal(records.Select(r => Convert.ToHexString(ActivityRecordEncoding.LeafHash(r))),
            (await log.ReadLeavesAfterAsync(0, 100)).Select(l => Convert.ToHexString(l.Hash)));
    }

    [Fact]
    public async Task A_purged_end_of_the_log_is_not_given_again_to_the_next_record()
    {
        // Sequences come from AUTOINCREMENT's high-water mark, read in the write transaction, not from the newest row left.
        await using (var log = new SqliteActivityLogRepo(_database.ConnectionString))
        {
            await log.AppendManyAsync([.. Enumerable.Range(1, 5).Select(Record)]);
        }

        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER activity_records_no_delete; DELETE FROM activity_records WHERE sequence > 3;";
            await command.ExecuteNonQueryAsync();
        }

        await using (var log = new SqliteActivityLogRepo(_database.ConnectionString))
        {
            Assert.Equal(6, (await log.AppendAsync(Record(6))).Record!.Sequence);
        }
    }

    [Fact]
    public async Task Rows_stored_without_a_leaf_are_checkpointed_from_their_content_and_verify()
    {
        await using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        await log.AppendManyAsync([.. Enumerable.Range(1, 12).Select(Record)]);
        await using (var connection = new SqliteConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER activity_records_no_update; UPDATE activity_records SET leaf = NULL WHERE sequence IN (1, 2, 5, 9, 10); " +
                "CREATE TRIGGER activity_records_no_update BEFORE UPDATE ON activity_records BEGIN SELECT RAISE(ABORT, 'append-only'); END;";
            await command.ExecuteNonQueryAsync();
        }

        IReadOnlyList<ActivityRecord> records = await log.ReadAfterAsync(0, 100);
        IReadOnlyList<ActivityLeaf> leaves = await log.ReadLeavesAfterAsync(0, 100);
        Assert.Equal(records.Select(r => Convert.ToHexString(ActivityRecordEncoding.LeafHash(r))), leaves.Select(l => Convert.ToHexString(l.Hash)));
        Assert.Equal([5L, 6L, 7L], (await log.ReadLeavesAfterAsync(4, 3)).Select(l => l.Sequence));

        var key = ActivityCheckpointKey.Create("test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var sink = FileActivityCheckpointSink.Beside(_database.FilePath);
        var checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = sink, Key = key });
        Assert.Equal(12, (await checkpointer.CheckpointAsync())!.TreeSize);
        ActivityLogVerification result = await ActivityLogVerifier.VerifyAsync(log, sink, [key.PublicKey()]);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(12, result.RecordsVerified);
    }
}
