using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>
/// A batch (<c>COPY</c>) learns the sequences its rows got by reading them back under the append lock. That read must seek
/// the primary key however large the partition: the planner cannot see the bound (a cached generic plan, or a partition
/// without statistics yet, such as each new month's), and a plan that scans the partition makes every batch cost more as
/// the log grows.
/// </summary>
public sealed class BatchSequenceTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    [Fact]
    public async Task A_batch_reads_its_sequences_back_with_a_seek_even_when_the_planner_cannot_see_the_bound()
    {
        string schema = TestServer.NewSchema();
        using PostgreSqlActivityLogRepo log = TestServer.NewLog(schema: schema);
        IReadOnlyList<ActivityRecord> batch = await AppendBatchAsync(log, 0);

        // The partitions as a busy month has them: autovacuum has not been by yet, so no page is marked all-visible and
        // there are no statistics.
        foreach (string name in await TestServer.InheritorsAsync($"\"{schema}\".activity_records"))
        {
            await TestServer.ScalarAsync($"ALTER TABLE \"{schema}\".{name} SET (autovacuum_enabled = false)");
        }

        for (int i = 1; i < 20; i++)
        {
            batch = await AppendBatchAsync(log, i);
        }

        await using var connection = new NpgsqlConnection(TestServer.ConnectionString);
        await connection.OpenAsync();
        foreach (string sql in new[] { "SET plan_cache_mode = force_generic_plan", $"PREPARE stored_sequences(bigint, integer) AS {log.StoredSequencesSql}" })
        {
            await using var setup = new NpgsqlCommand(sql, connection);
            await setup.ExecuteNonQueryAsync();
        }

        await using var explain = new NpgsqlCommand("EXPLAIN EXECUTE stored_sequences(19000, 1000)", connection);
        var lines = new List<string>();
        await using (NpgsqlDataReader reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }

        string plan = string.Join("\n", lines);
        Assert.Contains("_pkey", plan, StringComparison.Ordinal);
        await TestServer.AssertNoScanOfRowsAsync(schema, plan);

        // And the last batch returned the sequences its rows were stored with.
        ActivityPage page = await log.QueryAsync(ActivityQuery.ByAction("batch_test", 1_000) with { Order = ActivityOrder.NewestFirst });
        Assert.Equal(batch.Reverse().Select(r => (r.RecordId, r.Sequence)), page.Items.Select(r => (r.RecordId, r.Sequence)));
    }

    private static Task<IReadOnlyList<ActivityRecord>> AppendBatchAsync(PostgreSqlActivityLogRepo log, int i) =>
        log.AppendManyAsync(Enumerable.Range(i * 1_000, 1_000).Select(n => ActivityRecord.Create(Alice, Alice, "batch_test", new EntityRef("Task", $"task-{n}")))).AsTask();
}
