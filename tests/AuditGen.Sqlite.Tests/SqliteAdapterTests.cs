using AuditGen.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Sqlite.Tests;

public sealed class SqliteAdapterTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static ActivityRecord Record(int n = 1, string action = "create_task") =>
        ActivityRecord.Create(Alice, Alice, action, new EntityRef("Task", $"task-{n}"));

    private async Task<SqliteConnection> PlainConnectionAsync()
    {
        var connection = new SqliteConnection(_database.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    [Theory]
    [InlineData("entity")]
    [InlineData("actor")]
    [InlineData("owner")]
    [InlineData("action")]
    public async Task Every_query_shape_is_an_index_seek_not_a_scan(string shape)
    {
        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        Guid[] people = [.. Enumerable.Range(0, 50).Select(_ => Guid.NewGuid())];
        await log.AppendManyAsync(Enumerable.Range(0, 2_000).Select(i => ActivityRecord.Create(
            i % 50 == 7 ? Alice : people[i % 50], i % 49 == 3 ? Alice : people[(i * 7) % 50], $"action_{i % 20}", new EntityRef("Task", $"task-{i % 300}"))));

        await using SqliteConnection connection = await log.OpenAsync(CancellationToken.None);
        await using (SqliteCommand analyze = connection.CreateCommand())
        {
            analyze.CommandText = "ANALYZE;";
            await analyze.ExecuteNonQueryAsync();
        }

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
            (query, 25L),
            (query with { Order = ActivityOrder.OldestFirst, Since = Start, Until = Start.AddDays(1) }, 10L),
        })
        {
            await using SqliteCommand command = SqliteActivityLogRepo.BuildQuery(connection, q, after);
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
            var plan = new List<string>();
            await using (SqliteDataReader reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    plan.Add(reader.GetString(3));
                }
            }

            string text = string.Join(" | ", plan);
            Assert.Contains($"SEARCH activity_records USING INDEX ix_activity_records_{shape}", text);
            Assert.DoesNotContain("SCAN activity_records", text);
            Assert.DoesNotContain("USE TEMP B-TREE", text); // the index already gives the order
        }
    }

    [Fact]
    public async Task Update_and_delete_are_rejected_by_the_database_and_rows_stay_unchanged()
    {
        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        ActivityRecord stored = (await log.AppendAsync(Record())).Record!;
        await using SqliteConnection plain = await PlainConnectionAsync();

        foreach (string sql in new[]
        {
            "UPDATE activity_records SET action = 'forged'",
            $"UPDATE activity_records SET action = 'forged' WHERE sequence = {stored.Sequence}",
            "DELETE FROM activity_records",
            $"DELETE FROM activity_records WHERE sequence = {stored.Sequence}",
        })
        {
            var ex = await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(plain, sql));
            Assert.Contains("append-only", ex.Message);
        }

        Assert.Equal(stored, Assert.Single(await log.GetByActorAsync(Alice)));
    }

    [Theory]
    [InlineData(SqliteDurability.Full, 2L)]
    [InlineData(SqliteDurability.Normal, 1L)]
    public async Task The_database_is_in_WAL_mode_with_the_chosen_synchronous_setting(SqliteDurability durability, long synchronous)
    {
        using var log = new SqliteActivityLogRepo(new SqliteActivityLogOptions { ConnectionString = _database.ConnectionString, Durability = durability });
        await log.AppendAsync(Record());

        await using SqliteConnection connection = await log.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal(synchronous, await ScalarAsync(connection, "PRAGMA synchronous;"));
    }

    [Fact]
    public async Task Two_logs_migrating_the_same_file_at_once_create_the_schema_once()
    {
        using var first = new SqliteActivityLogRepo(_database.ConnectionString);
        using var second = new SqliteActivityLogRepo(_database.ConnectionString);

        await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => second.MigrateAsync()), Task.Run(() => first.MigrateAsync()));
        await first.AppendAsync(Record(1));
        await second.AppendAsync(Record(2));

        await using SqliteConnection plain = await PlainConnectionAsync();
        Assert.Equal((long)SqliteActivityLogRepo.SchemaVersion, await ScalarAsync(plain, "PRAGMA user_version;"));
        Assert.Equal(2L, await ScalarAsync(plain, "SELECT count(*) FROM activity_records;"));
    }

    [Fact]
    public async Task A_version_1_log_migrates_to_trace_context_columns_and_keeps_its_records()
    {
        Guid recordId = Guid.CreateVersion7();
        await using (SqliteConnection plain = await PlainConnectionAsync())
        {
            // The log as schema version 1 left it, with one record.
            await ScalarAsync(plain, SqliteSchema.Migrations[0] + "\nPRAGMA user_version = 1;");
            await using SqliteCommand insert = plain.CreateCommand();
            insert.CommandText = "INSERT INTO activity_records (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
                "VALUES ($id, $actor, $actor, 'create_task', 'Task', '1', 0, '{}');";
            insert.Parameters.AddWithValue("$id", recordId);
            insert.Parameters.AddWithValue("$actor", Alice);
            await insert.ExecuteNonQueryAsync();
        }

        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        ActivityRecord traced = (await log.AppendAsync(Record(2) with { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", SpanId = "00f067aa0ba902b7" })).Record!;

        IReadOnlyList<ActivityRecord> all = await log.GetByActorAsync(Alice);
        Assert.Equal([traced.RecordId, recordId], all.Select(r => r.RecordId));
        Assert.Null(all[1].TraceId);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", all[0].TraceId);
        await using SqliteConnection after = await PlainConnectionAsync();
        Assert.Equal((long)SqliteActivityLogRepo.SchemaVersion, await ScalarAsync(after, "PRAGMA user_version;"));

        // Still append-only after the migration.
        await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync(after, "UPDATE activity_records SET trace_id = 'forged';"));
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused_clearly()
    {
        await using (SqliteConnection plain = await PlainConnectionAsync())
        {
            await ScalarAsync(plain, $"PRAGMA user_version = {SqliteActivityLogRepo.SchemaVersion + 1};");
        }

        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () => await log.AppendAsync(Record()));
        Assert.Contains("newer", ex.Message);
    }

    [Fact]
    public async Task The_exported_schema_script_is_what_the_adapter_expects()
    {
        await using (SqliteConnection plain = await PlainConnectionAsync())
        {
            await ScalarAsync(plain, SqliteActivityLogRepo.SchemaScript);
            Assert.Equal((long)SqliteActivityLogRepo.SchemaVersion, await ScalarAsync(plain, "PRAGMA user_version;"));
        }

        using var log = new SqliteActivityLogRepo(new SqliteActivityLogOptions { ConnectionString = _database.ConnectionString, CreateSchema = false });
        await log.AppendAsync(Record());
        Assert.Single(await log.GetByActorAsync(Alice));
    }

    [Fact]
    public async Task AppendMany_stores_a_batch_in_order_in_one_transaction()
    {
        var clock = new FakeTimeProvider(Start);
        using var log = new SqliteActivityLogRepo(_database.ConnectionString, clock);
        ActivityRecord[] batch = [.. Enumerable.Range(0, 100).Select(i => Record(i))];

        IReadOnlyList<ActivityRecord> stored = await log.AppendManyAsync(batch);

        Assert.Equal(batch.Select(r => r.RecordId), stored.Select(r => r.RecordId));
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.Second.Sequence == p.First.Sequence + 1));
        Assert.All(stored, r => Assert.Equal(Start, r.OccurredAt));
        Assert.Equal(Enumerable.Reverse(stored), await log.GetByActorAsync(Alice, limit: 1000));
    }

    [Fact]
    public async Task A_batch_with_an_invalid_or_duplicate_record_stores_nothing()
    {
        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        ActivityRecord existing = (await log.AppendAsync(Record(0))).Record!;
        ActivityRecord one = Record(1);

        var invalid = await Assert.ThrowsAsync<ArgumentNullException>(async () =>
            await log.AppendManyAsync([Record(2), new ActivityRecord { RecordId = Guid.NewGuid(), ActorId = Alice, OwnerId = Alice, EntityRef = new EntityRef("Task", "x") }]));
        Assert.Contains("record.Action", invalid.Message);
        var twice = await Assert.ThrowsAsync<ArgumentException>(async () => await log.AppendManyAsync([one, one]));
        Assert.Contains("appears twice", twice.Message);
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(async () => await log.AppendManyAsync([Record(3), existing, Record(4)]));
        Assert.Contains("already in the log", duplicate.Message);
        Assert.Equal("records", duplicate.ParamName); // the batch's parameter; a single append names "record" (conformance suite)

        Assert.Equal([existing], await log.GetByActorAsync(Alice));
        Assert.NotNull((await log.AppendManyAsync([Record(5)]))[0]); // the writer is still usable after a rollback
    }

    [Fact]
    public async Task Stored_metadata_is_tagged_json_readable_by_other_tools()
    {
        using var log = new SqliteActivityLogRepo(_database.ConnectionString);
        await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"),
            new Dictionary<string, object?> { ["title"] = "Write docs", ["priority"] = 2 }));

        await using SqliteConnection plain = await PlainConnectionAsync();
        string json = (string)(await ScalarAsync(plain, "SELECT metadata FROM activity_records"))!;
        Assert.Equal("""{"priority":["i4",2],"title":["s","Write docs"]}""", json);
        Assert.Equal("Write docs", await ScalarAsync(plain, "SELECT json_extract(metadata, '$.title[1]') FROM activity_records"));
        Assert.Equal(2, ActivityMetadataJson.Deserialize(json)["priority"]);
    }

    [Fact]
    public async Task UseSqlite_registers_the_adapter_under_the_pipeline_with_durable_delivery_by_default()
    {
        await using ServiceProvider services = new ServiceCollection()
            .AddActivityLog(log => log.UseSqlite(_database.ConnectionString))
            .BuildServiceProvider();

        await services.GetRequiredService<IActivityLogRepo>().AppendAsync(Record());

        Assert.Same(services.GetRequiredService<SqliteActivityLogRepo>(), ((ActivityLog)services.GetRequiredService<IActivityLogRepo>()).Store);
        Assert.Single(await services.GetRequiredService<SqliteActivityLogRepo>().GetByActorAsync(Alice));
        Assert.Equal(ActivityDelivery.Durable, services.GetRequiredService<ActivityLogOptions>().Delivery);
        Assert.Single(services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ActivityRecordedRelay>());
    }
}
