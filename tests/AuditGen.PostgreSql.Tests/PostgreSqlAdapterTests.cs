using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace AuditGen.PostgreSql.Tests;

public sealed class PostgreSqlAdapterTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);
    private readonly string _schema = TestServer.NewSchema();
    private readonly PostgreSqlActivityLogRepo _log;

    public PostgreSqlAdapterTests() => _log = TestServer.NewLog(new FakeTimeProvider(Start), _schema);

    public void Dispose() => _log.Dispose();

    private static ActivityRecord Record(int n = 1, string action = "create_task") =>
        ActivityRecord.Create(Alice, Alice, action, new EntityRef("Task", $"task-{n}"));

    [Theory]
    [InlineData("entity")]
    [InlineData("actor")]
    [InlineData("owner")]
    [InlineData("action")]
    public async Task Every_query_shape_is_an_index_scan_not_a_sequential_scan(string shape)
    {
        Guid[] people = [.. Enumerable.Range(0, 200).Select(_ => Guid.NewGuid())];
        await _log.AppendManyAsync(Enumerable.Range(0, 20_000).Select(i => ActivityRecord.Create(
            i % 200 == 7 ? Alice : people[i % 200], i % 199 == 3 ? Alice : people[(i * 7) % 200], $"action_{i % 100}", new EntityRef("Task", $"task-{i % 2000}"))));
        await TestServer.ScalarAsync($"ANALYZE \"{_schema}\".activity_records");

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
            (query, 10_000L),
            (query with { Order = ActivityOrder.OldestFirst, Since = Start, Until = Start.AddDays(1) }, 500L),
        })
        {
            // An index seek on (a partition's copy of) this shape's index, never a scan of the rows. (For a time range
            // PostgreSQL may prefer a bitmap scan of the same index and sort the few matching rows; that is still a seek.)
            await TestServer.AssertIndexSeekAsync(_schema, shape, await TestServer.PlanAsync(_log, q, after));
        }
    }

    [Fact]
    public async Task Update_delete_and_truncate_are_rejected_by_the_database_even_as_a_replica_and_rows_stay_unchanged()
    {
        ActivityRecord stored = (await _log.AppendAsync(Record())).Record!;
        string table = $"\"{_schema}\".activity_records";

        foreach (string sql in new[]
        {
            $"UPDATE {table} SET action = 'forged'",
            $"UPDATE {table} SET action = 'forged' WHERE sequence = {stored.Sequence}",
            $"DELETE FROM {table}",
            $"DELETE FROM {table} WHERE sequence = {stored.Sequence}",
            $"TRUNCATE {table}",
            $"SET session_replication_role = replica; DELETE FROM {table}",
            $"SET session_replication_role = replica; TRUNCATE {table}",
        })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => TestServer.ScalarAsync(sql));
            Assert.Contains("append-only", ex.MessageText);
        }

        Assert.Equal(stored, Assert.Single(await _log.GetByActorAsync(Alice)));
    }

    [Fact]
    public async Task The_documented_application_role_can_insert_and_select_only()
    {
        await _log.MigrateAsync();
        string role = "app_" + _schema;
        string table = $"\"{_schema}\".activity_records";
        await TestServer.ScalarAsync($"""
            CREATE ROLE {role} LOGIN;
            GRANT USAGE ON SCHEMA "{_schema}" TO {role};
            GRANT SELECT ON "{_schema}".auditgen_schema TO {role};
            GRANT SELECT, INSERT ON {table} TO {role};
            GRANT SELECT ON "{_schema}".activity_record_ids TO {role};
            """);
        string asApp = new NpgsqlConnectionStringBuilder(TestServer.ConnectionString) { Username = role }.ToString();

        using var appLog = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = asApp, Schema = _schema, CreateSchema = false });
        ActivityRecord stored = (await appLog.AppendAsync(Record())).Record!;
        Assert.Equal(stored, Assert.Single(await appLog.GetByActorAsync(Alice)));
        Assert.Single(await appLog.AppendManyAsync([Record(2)]));
        Assert.Equal(stored, await appLog.FindAsync(stored.RecordId));
        ActivityRecord backDated = (await appLog.AppendAsync(Record(3) with { OccurredAt = Start.AddYears(-3) })).Record!; // a partition made for it

        foreach (string sql in new[] { $"UPDATE {table} SET action = 'x'", $"DELETE FROM {table}", $"TRUNCATE {table}", $"DROP TABLE {table}" })
        {
            var ex = await Assert.ThrowsAsync<PostgresException>(() => TestServer.ScalarAsync(sql, asApp));
            Assert.True(ex.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{sql}: {ex.SqlState} {ex.MessageText}");
        }

        Assert.Equal([backDated.RecordId], (await _log.GetByActorAsync(Alice)).Where(r => r.OccurredAt < Start).Select(r => r.RecordId));
        Assert.Equal(3, (await _log.GetByActorAsync(Alice)).Count);
    }

    [Fact]
    public async Task AppendMany_copies_a_batch_in_order_in_one_transaction()
    {
        ActivityRecord[] batch = [.. Enumerable.Range(0, 1000).Select(i => Record(i))];

        IReadOnlyList<ActivityRecord> stored = await _log.AppendManyAsync(batch);

        Assert.Equal(batch.Select(r => r.RecordId), stored.Select(r => r.RecordId));
        Assert.True(stored.Zip(stored.Skip(1)).All(p => p.Second.Sequence == p.First.Sequence + 1));
        Assert.Equal(Enumerable.Reverse(stored), await _log.GetByActorAsync(Alice, limit: 1000));
    }

    [Fact]
    public async Task A_batch_with_an_invalid_or_duplicate_record_stores_nothing()
    {
        ActivityRecord existing = (await _log.AppendAsync(Record(0))).Record!;
        ActivityRecord one = Record(1);

        await Assert.ThrowsAsync<ArgumentNullException>(async () =>
            await _log.AppendManyAsync([Record(2), new ActivityRecord { RecordId = Guid.NewGuid(), ActorId = Alice, OwnerId = Alice, EntityRef = new EntityRef("Task", "x") }]));
        Assert.Contains("appears twice", (await Assert.ThrowsAsync<ArgumentException>(async () => await _log.AppendManyAsync([one, one]))).Message);
        Assert.Contains("already in the log", (await Assert.ThrowsAsync<ArgumentException>(async () => await _log.AppendManyAsync([Record(3), existing]))).Message);

        Assert.Equal([existing], await _log.GetByActorAsync(Alice));
    }

    [Fact]
    public async Task Times_are_kept_to_the_microsecond_and_what_append_returns_equals_what_is_read()
    {
        var precise = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        ActivityRecord stored = (await _log.AppendAsync(ActivityRecord.Create(Alice, Alice, "x", new EntityRef("Task", "1"), occurredAt: precise))).Record!;

        Assert.Equal(precise.UtcTicks - 7, stored.OccurredAt.UtcTicks);
        Assert.Equal(stored, Assert.Single(await _log.GetByActorAsync(Alice)));
    }

    [Fact]
    public async Task Concurrent_migrations_create_the_schema_once_and_the_script_matches()
    {
        using var other = TestServer.NewLog(schema: _schema);
        await Task.WhenAll(Task.Run(() => _log.MigrateAsync()), Task.Run(() => other.MigrateAsync()), Task.Run(() => _log.MigrateAsync()));

        Assert.Equal(PostgreSqlActivityLogRepo.SchemaVersion, await TestServer.ScalarAsync($"SELECT version FROM \"{_schema}\".auditgen_schema"));

        string scripted = TestServer.NewSchema();
        await TestServer.ScalarAsync(PostgreSqlActivityLogRepo.SchemaScript(scripted));
        using var fromScript = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = TestServer.ConnectionString, Schema = scripted, CreateSchema = false });
        await fromScript.AppendAsync(Record());
        Assert.Single(await fromScript.GetByActorAsync(Alice));
    }

    [Fact]
    public async Task A_version_1_log_migrates_to_trace_context_columns_and_keeps_its_records()
    {
        string schema = TestServer.NewSchema();
        string quoted = $"\"{schema}\"";
        Guid recordId = Guid.CreateVersion7();
        await TestServer.ScalarAsync(PostgreSqlSchema.Bootstrap(quoted) + PostgreSqlSchema.Migrations[0].Replace("{schema}", quoted, StringComparison.Ordinal) +
            $"UPDATE {quoted}.auditgen_schema SET version = 1;" +
            $"INSERT INTO {quoted}.activity_records (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
            $"VALUES ('{recordId}', '{Alice}', '{Alice}', 'create_task', 'Task', '1', now(), '{{}}');");

        using PostgreSqlActivityLogRepo log = TestServer.NewLog(schema: schema);
        ActivityRecord traced = (await log.AppendAsync(Record() with { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", SpanId = "00f067aa0ba902b7" })).Record!;

        IReadOnlyList<ActivityRecord> all = await log.GetByActorAsync(Alice);
        Assert.Equal([traced.RecordId, recordId], all.Select(r => r.RecordId));
        Assert.Null(all[1].TraceId);
        Assert.Equal("00f067aa0ba902b7", all[0].SpanId);
        Assert.Equal(PostgreSqlActivityLogRepo.SchemaVersion, await TestServer.ScalarAsync($"SELECT version FROM {quoted}.auditgen_schema"));
        await Assert.ThrowsAsync<PostgresException>(() => TestServer.ScalarAsync($"UPDATE {quoted}.activity_records SET trace_id = 'forged'"));
    }

    [Fact]
    public void A_schema_name_that_is_not_a_plain_identifier_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new PostgreSqlActivityLogRepo(
            new PostgreSqlActivityLogOptions { ConnectionString = TestServer.ConnectionString, Schema = "x\"; DROP TABLE y; --" }));
        Assert.Equal("options", ex.ParamName);
        Assert.Contains("PostgreSqlActivityLogOptions.Schema", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePostgreSql_registers_the_adapter_under_the_pipeline_with_durable_delivery_by_default()
    {
        await using ServiceProvider services = new ServiceCollection()
            .AddActivityLog(log => log.UsePostgreSql(TestServer.ConnectionString, o => o.Schema = TestServer.NewSchema()))
            .BuildServiceProvider();

        await services.GetRequiredService<IActivityLogRepo>().AppendAsync(Record());

        Assert.Same(services.GetRequiredService<PostgreSqlActivityLogRepo>(), ((ActivityLog)services.GetRequiredService<IActivityLogRepo>()).Store);
        Assert.Single(await services.GetRequiredService<PostgreSqlActivityLogRepo>().GetByActorAsync(Alice));
        Assert.Equal(ActivityDelivery.Durable, services.GetRequiredService<ActivityLogOptions>().Delivery);
        Assert.Single(services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<ActivityRecordedRelay>());
    }
}
