using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AuditGen.PostgreSql.Tests;

/// <summary>The log partitioned by time on a real server: partitions made ahead and on demand, queries and cursors across them, migration.</summary>
public sealed class PartitionTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset February = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _schema = TestServer.NewSchema();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly PostgreSqlActivityLogRepo _log;

    public PartitionTests() => _log = TestServer.NewLog(_clock, _schema);

    public void Dispose() => _log.Dispose();

    private string Table => $"\"{_schema}\".activity_records";

    private static ActivityRecord At(DateTimeOffset at, int n = 1, string action = "create_task") =>
        ActivityRecord.Create(Alice, Alice, action, new EntityRef("Task", $"task-{n}"), occurredAt: at);

    private async Task<List<(string Name, string Bounds)>> PartitionsAsync()
    {
        await using var connection = new NpgsqlConnection(TestServer.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid " +
            "WHERE i.inhparent = $1::regclass ORDER BY 1", connection);
        command.Parameters.Add(new() { Value = Table });
        var partitions = new List<(string, string)>();
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            partitions.Add((reader.GetString(0), reader.GetString(1)));
        }

        return partitions;
    }

    private async Task<string> PartitionOfAsync(ActivityRecord record) =>
        (string)(await TestServer.ScalarAsync($"SELECT tableoid::regclass::text FROM {Table} WHERE record_id = '{record.RecordId}'"))!;

    [Fact]
    public async Task The_first_append_creates_this_months_partition_and_the_next_three_and_a_record_elsewhere_gets_its_own()
    {
        await _log.AppendAsync(At(_clock.GetUtcNow()));

        Assert.Equal(["activity_records_p20260101", "activity_records_p20260201", "activity_records_p20260301", "activity_records_p20260401"],
            (await PartitionsAsync()).Select(p => p.Name));
        Assert.Contains("FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')", (await PartitionsAsync())[0].Bounds);

        ActivityRecord old = (await _log.AppendAsync(At(new DateTimeOffset(2019, 7, 4, 12, 0, 0, TimeSpan.Zero), 2))).Record!;
        ActivityRecord far = (await _log.AppendManyAsync([At(new DateTimeOffset(2031, 12, 31, 23, 59, 59, TimeSpan.Zero), 3)]))[0];

        Assert.Equal($"{_schema}.activity_records_p20190701", await PartitionOfAsync(old));
        Assert.Equal($"{_schema}.activity_records_p20311201", await PartitionOfAsync(far));
        Assert.Equal(3, (await _log.GetByActorAsync(Alice)).Count);
    }

    [Fact]
    public async Task As_time_passes_the_adapter_keeps_partitions_ahead()
    {
        await _log.AppendAsync(At(_clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromDays(62)); // now in March: May must exist before anything is written there

        await _log.AppendAsync(At(_clock.GetUtcNow(), 2));

        Assert.Contains("activity_records_p20260601", (await PartitionsAsync()).Select(p => p.Name));
    }

    [Fact]
    public async Task Quarterly_partitions_are_aligned_to_quarters()
    {
        using PostgreSqlActivityLogRepo log = new(new PostgreSqlActivityLogOptions
        {
            ConnectionString = TestServer.ConnectionString,
            Schema = _schema,
            PartitionMonths = 3,
            PartitionsAhead = 1,
        }, _clock);

        await log.AppendAsync(At(new DateTimeOffset(2026, 5, 31, 23, 0, 0, TimeSpan.Zero)));

        List<(string Name, string Bounds)> partitions = await PartitionsAsync();
        Assert.Equal(["activity_records_p20260101", "activity_records_p20260401"], partitions.Select(p => p.Name));
        Assert.Contains("FROM ('2026-04-01 00:00:00+00') TO ('2026-07-01 00:00:00+00')", partitions[1].Bounds);
    }

    [Theory]
    [InlineData(0, 3)]
    [InlineData(13, 3)]
    [InlineData(1, -1)]
    [InlineData(1, 25)]
    public void Partition_settings_out_of_range_are_refused_naming_the_setting(int months, int ahead)
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions
        {
            ConnectionString = TestServer.ConnectionString,
            Schema = _schema,
            PartitionMonths = months,
            PartitionsAhead = ahead,
        }));
        Assert.Contains(months is < 1 or > 12 ? "PartitionMonths" : "PartitionsAhead", ex.Message);
    }

    [Fact]
    public async Task A_record_at_the_exact_boundary_instant_belongs_to_the_later_partition_and_to_queries_from_that_instant()
    {
        ActivityRecord before = (await _log.AppendAsync(At(February.AddTicks(-10), 1))).Record!;
        ActivityRecord at = (await _log.AppendAsync(At(February, 2))).Record!;

        Assert.Equal($"{_schema}.activity_records_p20260101", await PartitionOfAsync(before));
        Assert.Equal($"{_schema}.activity_records_p20260201", await PartitionOfAsync(at));
        Assert.Equal([at], (await _log.QueryAsync(ActivityQuery.ByActor(Alice) with { Since = February })).Items);
        Assert.Equal([before], (await _log.QueryAsync(ActivityQuery.ByActor(Alice) with { Until = February })).Items);
    }

    [Fact]
    public async Task Queries_span_partitions_in_sequence_order_and_cursors_cross_a_partition_boundary()
    {
        // Records alternate between January and February (sequence order is not time order), then a run in March.
        ActivityRecord[] batch =
        [
            .. Enumerable.Range(0, 30).Select(i => At(i % 2 == 0 ? February.AddSeconds(-1 - i) : February.AddSeconds(i), i, $"a{i % 3}")),
            .. Enumerable.Range(30, 10).Select(i => At(February.AddMonths(1).AddMinutes(i), i, $"a{i % 3}")),
        ];
        IReadOnlyList<ActivityRecord> stored = await _log.AppendManyAsync(batch);

        foreach (ActivityOrder order in new[] { ActivityOrder.NewestFirst, ActivityOrder.OldestFirst })
        {
            var seen = new List<ActivityRecord>();
            ActivityQuery query = ActivityQuery.ByActor(Alice) with { Order = order, Limit = 7 };
            while (true)
            {
                ActivityPage page = await _log.QueryAsync(query);
                seen.AddRange(page.Items);
                if (page.NextCursor is null)
                {
                    break;
                }

                query = query with { Cursor = page.NextCursor };
            }

            IEnumerable<ActivityRecord> expected = order == ActivityOrder.OldestFirst ? stored : stored.Reverse();
            Assert.Equal(expected, seen);
        }

        ActivityPage a1 = await _log.QueryAsync(ActivityQuery.ByAction("a1") with { Since = February.AddSeconds(-10), Until = February.AddSeconds(10), Limit = 1000 });
        Assert.Equal(stored.Where(r => r.Action == "a1" && r.OccurredAt >= February.AddSeconds(-10) && r.OccurredAt < February.AddSeconds(10)).Reverse(), a1.Items);
    }

    [Fact]
    public async Task A_record_id_is_unique_across_partitions()
    {
        ActivityRecord january = (await _log.AppendAsync(At(February.AddDays(-3)))).Record!;

        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await _log.AppendAsync(january with { OccurredAt = February.AddMonths(2) }));
        Assert.Contains("already in the log", ex.Message);
        await Assert.ThrowsAsync<ArgumentException>(async () => await _log.AppendManyAsync([At(February.AddDays(40), 2), january with { OccurredAt = February.AddMonths(3) }]));

        Assert.Equal([january], await _log.GetByActorAsync(Alice));
    }

    [Fact]
    public async Task Every_query_shape_is_an_index_seek_on_a_partitioned_log_first_and_deep_pages_and_a_time_range_reads_only_its_partitions()
    {
        Guid[] people = [.. Enumerable.Range(0, 200).Select(_ => Guid.NewGuid())];
        await _log.AppendManyAsync(Enumerable.Range(0, 24_000).Select(i => ActivityRecord.Create(
            i % 200 == 7 ? Alice : people[i % 200], i % 199 == 3 ? Alice : people[(i * 7) % 200], $"action_{i % 100}",
            new EntityRef("Task", $"task-{i % 2000}"), occurredAt: February.AddMonths(i % 6 - 1).AddMinutes(i))));
        await TestServer.ScalarAsync($"ANALYZE {Table}");
        Assert.True((await PartitionsAsync()).Count >= 6);

        foreach (string shape in new[] { "entity", "actor", "owner", "action" })
        {
            ActivityQuery query = shape switch
            {
                "entity" => ActivityQuery.ByEntity(new EntityRef("Task", "task-3")),
                "actor" => ActivityQuery.ByActor(Alice),
                "owner" => ActivityQuery.ByOwner(Alice),
                _ => ActivityQuery.ByAction("action_3"),
            };
            foreach ((ActivityQuery q, long? after) in new[]
            {
                (query, (long?)null),
                (query with { Order = ActivityOrder.OldestFirst }, (long?)null),
                (query, 12_000L),
                (query with { Order = ActivityOrder.OldestFirst }, 20_000L),
            })
            {
                await TestServer.AssertIndexSeekAsync(_schema, shape, await TestServer.PlanAsync(_log, q, after));
            }

            string february = await TestServer.PlanAsync(_log, query with { Since = February, Until = February.AddMonths(1) }, null);
            await TestServer.AssertIndexSeekAsync(_schema, shape, february);
            Assert.Contains("activity_records_p20260201", february);
            Assert.DoesNotContain("activity_records_p20260101", february);
            Assert.DoesNotContain("activity_records_p20260301", february);
        }
    }

    [Fact]
    public async Task A_version_3_log_migrates_in_place_keeping_its_rows_sequences_and_protection()
    {
        string quoted = $"\"{_schema}\"";
        string legacy = PostgreSqlSchema.Bootstrap(quoted) + string.Concat(PostgreSqlSchema.Migrations.Take(3).Select(m => m.Replace("{schema}", quoted, StringComparison.Ordinal))) +
            $"UPDATE {quoted}.auditgen_schema SET version = 3;";
        await TestServer.ScalarAsync(legacy);
        await using (var connection = new NpgsqlConnection(TestServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"INSERT INTO {Table} (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
                $"SELECT gen_random_uuid(), '{Alice}', '{Alice}', 'old_' || (i % 3), 'Task', i::text, '2025-06-01'::timestamptz + i * interval '1 day', '{{}}' " +
                "FROM generate_series(1, 300) i", connection);
            await command.ExecuteNonQueryAsync();
        }

        IReadOnlyList<ActivityRecord> before = await _log.GetByActorAsync(Alice, limit: 1000); // migrates on first use
        ActivityRecord next = (await _log.AppendAsync(At(_clock.GetUtcNow().AddMonths(14), 9))).Record!;

        Assert.Equal(300, before.Count);
        Assert.Equal(301, next.Sequence);
        Assert.Equal(PostgreSqlActivityLogRepo.SchemaVersion, await TestServer.ScalarAsync($"SELECT version FROM {quoted}.auditgen_schema"));
        DateTime thisMonth = new(DateTime.UtcNow.Year, DateTime.UtcNow.Month, 1); // the old rows end in 2026-03: the server's now() decides
        Assert.Contains(("activity_records_v3", $"FOR VALUES FROM (MINVALUE) TO ('{thisMonth.AddMonths(1):yyyy-MM-dd} 00:00:00+00')"), await PartitionsAsync());
        Assert.Equal([next, .. before], await _log.GetByActorAsync(Alice, limit: 1000));
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(async () => await _log.AppendAsync(before[^1] with { OccurredAt = next.OccurredAt }));
        Assert.Contains("already in the log", duplicate.Message);
        foreach (string sql in new[] { $"DELETE FROM {quoted}.activity_records_v3", $"UPDATE {Table} SET action = 'x'", $"TRUNCATE {quoted}.activity_records_v3" })
        {
            Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => TestServer.ScalarAsync(sql))).MessageText);
        }
    }

    [Fact]
    public async Task Each_partition_refuses_update_delete_and_truncate_addressed_to_it_directly()
    {
        await _log.AppendAsync(At(February.AddDays(3)));
        string partition = $"\"{_schema}\".activity_records_p20260201";

        foreach (string sql in new[] { $"UPDATE {partition} SET action = 'x'", $"DELETE FROM {partition}", $"TRUNCATE {partition}", $"SET session_replication_role = replica; TRUNCATE {partition}" })
        {
            Assert.Contains("append-only", (await Assert.ThrowsAsync<PostgresException>(() => TestServer.ScalarAsync(sql))).MessageText);
        }

        Assert.Single(await _log.GetByActorAsync(Alice));
    }
}
