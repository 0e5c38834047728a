using AuditGen.Integrity;
using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>
/// Each record's Merkle leaf is computed at append (the adapter's canonical bytes, the sequence put in by the insert trigger)
/// and stored with its row, on every write path and in every partition; rows without one still get their leaf from their
/// content.
/// </summary>
public sealed class LeafTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _schema = TestServer.NewSchema();

    private static ActivityRecord Record(int i) => ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}"),
        new Dictionary<string, object?> { ["title"] = $"task {i}", ["n"] = i });

    private async Task<List<(long Sequence, byte[]? Leaf)>> StoredLeavesAsync()
    {
        await using var connection = new NpgsqlConnection(TestServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT sequence, leaf FROM \"{_schema}\".activity_records ORDER BY sequence", connection);
        var rows = new List<(long, byte[]?)>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1]));
        }

        return rows;
    }

    [Fact]
    public async Task Every_write_path_stores_the_leaf_of_the_record_as_it_is_read_back()
    {
        await using PostgreSqlActivityLogRepo log = TestServer.NewLog(schema: _schema);
        await log.AppendAsync(Record(1));
        await Task.WhenAll(Enumerable.Range(2, 16).Select(i => log.AppendAsync(Record(i)).AsTask())); // group commit: inserts in one round trip
        await log.AppendManyAsync([.. Enumerable.Range(18, 40).Select(Record)]); // COPY
        await log.AppendAsync(Record(58) with { OccurredAt = new DateTimeOffset(2021, 3, 4, 5, 6, 7, 891, TimeSpan.FromHours(2)).AddTicks(5) }); // another partition
        await using (var connection = new NpgsqlConnection(TestServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
            await log.Enlist(transaction).AppendAsync(Record(59) with
            {
                Changes = [new EntityChange(new EntityRef("Task", "59"), EntityChangeKind.Modified, [new PropertyChange("Title", "a", "b")])],
            }, CancellationToken.None);
            await transaction.CommitAsync();
        }

        await log.PlaceHoldAsync(ActivityLegalHold.ForActor("hold", Alice, "litigation"), Record(60));

        IReadOnlyList<ActivityRecord> records = await log.ReadAfterAsync(0, 100);
        List<(long Sequence, byte[]? Leaf)> stored = await StoredLeavesAsync();
        Assert.Equal(60, records.Count);
        Assert.Equal(records.Select(r => r.Sequence), stored.Select(s => s.Sequence));
        for (int i = 0; i < records.Count; i++)
        {
            Assert.True(stored[i].Leaf is not null, $"record {records[i].Sequence} has no stored leaf");
            Assert.Equal(Convert.ToHexString(ActivityRecordEncoding.LeafHash(records[i])), Convert.ToHexString(stored[i].Leaf!));
        }

        Assert.Equal(records.Select(r => Convert.ToHexString(ActivityRecordEncoding.LeafHash(r))),
            (await log.ReadLeavesAfterAsync(0, 100)).Select(l => Convert.ToHexString(l.Hash)));
    }

    [Fact]
    public async Task Rows_stored_without_a_leaf_are_checkpointed_from_their_content_and_verify()
    {
        await using PostgreSqlActivityLogRepo log = TestServer.NewLog(schema: _schema);
        await log.AppendManyAsync([.. Enumerable.Range(1, 12).Select(Record)]);
        string table = $"\"{_schema}\".activity_records";
        await TestServer.ScalarAsync($"ALTER TABLE {table} DISABLE TRIGGER activity_records_no_update_delete; " +
            $"UPDATE {table} SET leaf = NULL WHERE sequence IN (1, 2, 5, 9, 10); ALTER TABLE {table} ENABLE ALWAYS TRIGGER activity_records_no_update_delete;");

        IReadOnlyList<ActivityRecord> records = await log.ReadAfterAsync(0, 100);
        Assert.Equal(records.Select(r => Convert.ToHexString(ActivityRecordEncoding.LeafHash(r))),
            (await log.ReadLeavesAfterAsync(0, 100)).Select(l => Convert.ToHexString(l.Hash)));

        string folder = Path.Combine(Path.GetTempPath(), "auditgen-pg-leaves-" + Guid.NewGuid().ToString("N"));
        try
        {
            var key = ActivityCheckpointKey.Create("test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var sink = new FileActivityCheckpointSink(folder);
            var checkpointer = new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = sink, Key = key });
            Assert.Equal(12, (await checkpointer.CheckpointAsync())!.TreeSize);
            ActivityLogVerification result = await ActivityLogVerifier.VerifyAsync(log, sink, [key.PublicKey()]);
            Assert.True(result.IsIntact, result.Problem);
            Assert.Equal(12, result.RecordsVerified);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
