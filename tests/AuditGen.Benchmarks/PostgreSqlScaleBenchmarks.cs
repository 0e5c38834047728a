using AuditGen.PostgreSql;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// The PostgreSQL log at 10,000,000 records over a year (twelve monthly partitions and those ahead): appends, every query
/// shape's first page and a page deep in its key (a cursor at the key's middle record), a month of one actor (pruned to
/// one partition), and a lookup by record id (through the record-id table, then the one partition).
/// The setup prints the log's size per row, for docs/scale.md. BenchmarkDotNet runs each benchmark in a process of its
/// own, so the log is filled once, in schema <c>bench_scale_10m</c>, and kept for the next process (and run): drop the
/// schema when done.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PostgreSqlScaleBenchmarks
{
    private const int Rows = 10_000_000;
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, (ActivityQuery First, ActivityQuery Deep)> _queries = [];
    private string _schema = null!;
    private PostgreSqlActivityLogRepo _log = null!;
    private Guid _someRecord;
    private int _next;

    /// <summary>
    /// Whether the record-id trigger runs (it does in every real log: it keeps ids unique across partitions): off only to
    /// measure what it costs an append (<c>--anyCategories append</c>); queries do not depend on it.
    /// </summary>
    [Params(true, false)]
    public bool RecordIdCheck { get; set; } = true;

    private static string ConnectionString => LogFixture.PostgresServer;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _schema = "bench_scale_10m";
        _log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = ConnectionString, Schema = _schema });
        await _log.MigrateAsync();
        string table = $"\"{_schema}\".activity_records";
        if (await ScalarAsync($"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT {Rows}) filled") is not long filled || filled < Rows)
        {
            await FillAsync(table);
        }

        await ExecuteAsync($"ALTER TABLE {table} {(RecordIdCheck ? "ENABLE ALWAYS" : "DISABLE")} TRIGGER activity_records_register_ids");
        await ReportAndPrepareAsync(table);
    }

    private async Task FillAsync(string table)
    {

        // The year's partitions through the adapter, then the rows server-side, a million per statement (1,000 actors and
        // owners, 100,000 entities of 100 records, 10 actions).
        for (int month = 0; month < 12; month++)
        {
            await _log.AppendAsync(ActivityRecord.Create(LogFixture.Actor(0), LogFixture.Owner(0), LogFixture.Action(0), LogFixture.Entity(0), occurredAt: Start.AddMonths(month)));
        }

        for (int from = 0; from < Rows; from += 1_000_000)
        {
            await ExecuteAsync(
                $"INSERT INTO {table} (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
                "SELECT gen_random_uuid(), (lpad(to_hex(i % 1000), 8, '0') || '-0001-0001-0000-000000000001')::uuid, " +
                "(lpad(to_hex((i / 7) % 1000), 8, '0') || '-0002-0002-0000-000000000002')::uuid, 'action_' || (i % 10), 'Task', 'task-' || ((i / 3) % 100000), " +
                $"'{Start:O}'::timestamptz + i * interval '3.1536 seconds', jsonb_build_object('n', jsonb_build_array('s', i::text)) FROM generate_series({from}, {from + 999_999}) i");
        }

        await ExecuteAsync($"VACUUM ANALYZE {table}");
    }

    private async Task ReportAndPrepareAsync(string table)
    {
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var size = new NpgsqlCommand(
                "SELECT count(*), sum(pg_relation_size(inhrelid)), sum(pg_indexes_size(inhrelid)), sum(pg_total_relation_size(inhrelid)) " +
                $"FROM pg_inherits WHERE inhparent = '{table}'::regclass", connection);
            await using NpgsqlDataReader reader = await size.ExecuteReaderAsync();
            await reader.ReadAsync();
            Console.WriteLine($"// scale: {reader.GetInt64(0)} partitions; heap {reader.GetDecimal(1) / Rows:F0} B/row, indexes {reader.GetDecimal(2) / Rows:F0} B/row, " +
                $"total {reader.GetDecimal(3) / (1024 * 1024 * 1024):F2} GiB for {Rows:N0} rows");
            await reader.CloseAsync();
            await using var any = new NpgsqlCommand($"SELECT record_id FROM {table} WHERE sequence = {Rows / 2}", connection);
            _someRecord = (Guid)(await any.ExecuteScalarAsync())!;
        }

        foreach ((string name, ActivityQuery query, string where) in new[]
        {
            ("entity", ActivityQuery.ByEntity(LogFixture.Entity(4242)), "entity_type = 'Task' AND entity_id = 'task-4242'"),
            ("actor", ActivityQuery.ByActor(LogFixture.Actor(42)), $"actor_id = '{LogFixture.Actor(42)}'"),
            ("owner", ActivityQuery.ByOwner(LogFixture.Owner(42)), $"owner_id = '{LogFixture.Owner(42)}'"),
            ("action", ActivityQuery.ByAction(LogFixture.Action(4)), "action = 'action_4'"),
        })
        {
            await using var connection = new NpgsqlConnection(ConnectionString);
            await connection.OpenAsync();
            await using var middle = new NpgsqlCommand(
                $"SELECT sequence FROM {table} WHERE {where} ORDER BY sequence OFFSET (SELECT count(*) / 2 FROM {table} WHERE {where}) LIMIT 1", connection);
            long sequence = (long)(await middle.ExecuteScalarAsync())!;
            _queries[name] = (query, query with { Cursor = ActivityCursor.Encode(query, sequence) });
        }
    }

    private static async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    [GlobalCleanup]
    public void Cleanup() => _log.Dispose(); // the filled log stays for the next benchmark's process

    private ActivityRecord NewRecord() =>
        ActivityRecord.Create(LogFixture.Actor(7), LogFixture.Owner(7), "bench_append", new EntityRef("Task", $"new-{Interlocked.Increment(ref _next)}"),
            new Dictionary<string, object?> { ["title"] = "Write docs" });

    [Benchmark, BenchmarkCategory("append")] public Task<AppendResult> AppendOne() => _log.AppendAsync(NewRecord()).AsTask();

    [Benchmark, BenchmarkCategory("append")]
    public Task<IReadOnlyList<ActivityRecord>> AppendBatchOf1000() => _log.AppendManyAsync([.. Enumerable.Range(0, 1000).Select(_ => NewRecord())]).AsTask();

    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByEntityFirstPage() => _log.QueryAsync(_queries["entity"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByEntityDeepPage() => _log.QueryAsync(_queries["entity"].Deep).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActorFirstPage() => _log.QueryAsync(_queries["actor"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActorDeepPage() => _log.QueryAsync(_queries["actor"].Deep).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByOwnerFirstPage() => _log.QueryAsync(_queries["owner"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByOwnerDeepPage() => _log.QueryAsync(_queries["owner"].Deep).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActionFirstPage() => _log.QueryAsync(_queries["action"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActionDeepPage() => _log.QueryAsync(_queries["action"].Deep).AsTask();

    [Benchmark, BenchmarkCategory("query")]
    public Task<ActivityPage> ByActorOneMonth() => _log.QueryAsync(_queries["actor"].First with { Since = Start.AddMonths(6), Until = Start.AddMonths(7) }).AsTask();

    [Benchmark, BenchmarkCategory("query")] public Task<ActivityRecord?> FindByRecordId() => _log.FindAsync(_someRecord).AsTask();
}
