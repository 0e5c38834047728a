using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using AuditGen.Storage;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace AuditGen.Benchmarks;

/// <summary>
/// A durable adapter beside a raw ADO.NET loop inserting the same rows into the same schema, and its queries at
/// 1 M rows: first page and page 100 (by cursor) for each index.
/// </summary>
public abstract class AdapterBenchmarks
{
    protected const int Rows = 1_000_000;
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly Dictionary<string, (ActivityQuery First, ActivityQuery Page100)> _queries = [];

    protected abstract IActivityLogRepo Log { get; }

    protected static ActivityRecord NewRecord(int i) =>
        ActivityRecord.Create(Actor, Actor, "bench_append", new EntityRef("Task", $"task-{i % 1000}"),
            new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = i });

    protected static IEnumerable<ActivityRecord> Fill(int count)
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (int i = 0; i < count; i++)
        {
            // 100 records per key and 10 actions: every query shape has pages beyond page 100 (limit 50) for the hot keys.
            yield return ActivityRecord.Create(LogFixture.Actor(i % 100), LogFixture.Owner((i / 7) % 100), LogFixture.Action(i % 10),
                LogFixture.Entity(i % 100), new Dictionary<string, object?> { ["n"] = i }, start.AddSeconds(i));
        }
    }

    protected async Task PrepareQueriesAsync()
    {
        foreach ((string name, ActivityQuery query) in new[]
        {
            ("entity", ActivityQuery.ByEntity(LogFixture.Entity(42))),
            ("actor", ActivityQuery.ByActor(LogFixture.Actor(42))),
            ("owner", ActivityQuery.ByOwner(LogFixture.Owner(42))),
            ("action", ActivityQuery.ByAction(LogFixture.Action(4))),
        })
        {
            ActivityQuery page = query;
            for (int i = 1; i < 100; i++)
            {
                page = page with { Cursor = (await Log.QueryAsync(page)).NextCursor ?? throw new InvalidOperationException($"{name} has fewer than 100 pages") };
            }

            _queries[name] = (query, page);
        }
    }

    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByEntityFirstPage() => Log.QueryAsync(_queries["entity"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByEntityPage100() => Log.QueryAsync(_queries["entity"].Page100).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActorFirstPage() => Log.QueryAsync(_queries["actor"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActorPage100() => Log.QueryAsync(_queries["actor"].Page100).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByOwnerFirstPage() => Log.QueryAsync(_queries["owner"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByOwnerPage100() => Log.QueryAsync(_queries["owner"].Page100).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActionFirstPage() => Log.QueryAsync(_queries["action"].First).AsTask();
    [Benchmark, BenchmarkCategory("query")] public Task<ActivityPage> ByActionPage100() => Log.QueryAsync(_queries["action"].Page100).AsTask();

    private int _next;

    protected ActivityRecord[] NextBatch(int size) => [.. Enumerable.Range(0, size).Select(_ => NewRecord(Interlocked.Increment(ref _next)))];
}

/// <summary>SQLite on disk (WAL, synchronous=FULL): adapter versus raw Microsoft.Data.Sqlite.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SqliteAdapterBenchmarks : AdapterBenchmarks
{
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _rawInsert = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("adapter");
        string connectionString = LogFixture.SqliteFile(_folder);
        _log = new SqliteActivityLogRepo(connectionString);
        foreach (ActivityRecord[] chunk in Fill(Rows).Chunk(10_000))
        {
            await _log.AppendManyAsync(chunk);
        }

        await PrepareQueriesAsync();
        _raw = new SqliteConnection(connectionString);
        _raw.Open();
        using (SqliteCommand pragma = _raw.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            pragma.ExecuteNonQuery();
        }

        _rawInsert = _raw.CreateCommand();
        _rawInsert.CommandText = "INSERT INTO activity_records (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
                                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING sequence";
        for (int i = 1; i <= 8; i++)
        {
            _rawInsert.Parameters.Add(new SqliteParameter { ParameterName = "$" + i });
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _rawInsert.Dispose();
        _raw.Dispose();
        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }

    private long RawInsert(ActivityRecord r)
    {
        SqliteParameterCollection p = _rawInsert.Parameters;
        p[0].Value = r.RecordId;
        p[1].Value = r.ActorId;
        p[2].Value = r.OwnerId;
        p[3].Value = r.Action;
        p[4].Value = r.EntityRef.EntityType;
        p[5].Value = r.EntityRef.EntityId;
        p[6].Value = DateTimeOffset.UtcNow.UtcTicks;
        p[7].Value = ActivityMetadataJson.Serialize(r.Metadata);
        return (long)_rawInsert.ExecuteScalar()!;
    }

    [Benchmark, BenchmarkCategory("append")]
    public Task<AppendResult> AdapterSingle() => _log.AppendAsync(NextBatch(1)[0]).AsTask();

    [Benchmark, BenchmarkCategory("append")]
    public long RawSingle() => RawInsert(NextBatch(1)[0]);

    [Benchmark(OperationsPerInvoke = 100), BenchmarkCategory("append")]
    public Task<IReadOnlyList<ActivityRecord>> AdapterBatch100() => _log.AppendManyAsync(NextBatch(100)).AsTask();

    [Benchmark(OperationsPerInvoke = 100), BenchmarkCategory("append")]
    public void RawBatch100() => RawBatch(NextBatch(100));

    [Benchmark(OperationsPerInvoke = 1000), BenchmarkCategory("append")]
    public Task<IReadOnlyList<ActivityRecord>> AdapterBatch1000() => _log.AppendManyAsync(NextBatch(1000)).AsTask();

    [Benchmark(OperationsPerInvoke = 1000), BenchmarkCategory("append")]
    public void RawBatch1000() => RawBatch(NextBatch(1000));

    private void RawBatch(ActivityRecord[] batch)
    {
        using SqliteTransaction transaction = _raw.BeginTransaction();
        _rawInsert.Transaction = transaction;
        foreach (ActivityRecord r in batch)
        {
            RawInsert(r);
        }

        transaction.Commit();
        _rawInsert.Transaction = null;
    }
}

/// <summary>PostgreSQL (needs AUDITGEN_POSTGRES): adapter versus a raw Npgsql loop.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class PostgreSqlAdapterBenchmarks : AdapterBenchmarks
{
    private string _schema = null!;
    private PostgreSqlActivityLogRepo _log = null!;
    private NpgsqlDataSource _raw = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _schema = LogFixture.NewSchemaName("adapter");
        _log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = LogFixture.PostgresServer, Schema = _schema });
        foreach (ActivityRecord[] chunk in Fill(Rows).Chunk(10_000))
        {
            await _log.AppendManyAsync(chunk);
        }

        _raw = NpgsqlDataSource.Create(LogFixture.PostgresServer);
        await using (NpgsqlCommand analyze = _raw.CreateCommand($"ANALYZE \"{_schema}\".activity_records"))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        await PrepareQueriesAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await LogFixture.DropSchemaAsync(_schema);
        _raw.Dispose();
        _log.Dispose();
    }

    private async Task RawAsync(ActivityRecord[] batch)
    {
        await using NpgsqlConnection connection = await _raw.OpenConnectionAsync();
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO \"{_schema}\".activity_records (record_id, actor_id, owner_id, action, entity_type, entity_id, occurred_at, metadata) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING sequence", connection, transaction);
        foreach (NpgsqlDbType type in (NpgsqlDbType[])[NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Uuid, NpgsqlDbType.Text,
                     NpgsqlDbType.Text, NpgsqlDbType.Text, NpgsqlDbType.TimestampTz, NpgsqlDbType.Jsonb])
        {
            insert.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = type });
        }
        await insert.PrepareAsync();
        foreach (ActivityRecord r in batch)
        {
            insert.Parameters[0].Value = r.RecordId;
            insert.Parameters[1].Value = r.ActorId;
            insert.Parameters[2].Value = r.OwnerId;
            insert.Parameters[3].Value = r.Action;
            insert.Parameters[4].Value = r.EntityRef.EntityType;
            insert.Parameters[5].Value = r.EntityRef.EntityId;
            insert.Parameters[6].Value = DateTimeOffset.UtcNow;
            insert.Parameters[7].Value = ActivityMetadataJson.Serialize(r.Metadata);
            await insert.ExecuteScalarAsync();
        }

        await transaction.CommitAsync();
    }

    [Benchmark, BenchmarkCategory("append")]
    public Task<AppendResult> AdapterSingle() => _log.AppendAsync(NextBatch(1)[0]).AsTask();

    [Benchmark, BenchmarkCategory("append")]
    public Task RawSingle() => RawAsync(NextBatch(1));

    [Benchmark(OperationsPerInvoke = 100), BenchmarkCategory("append")]
    public Task<IReadOnlyList<ActivityRecord>> AdapterBatch100() => _log.AppendManyAsync(NextBatch(100)).AsTask();

    [Benchmark(OperationsPerInvoke = 100), BenchmarkCategory("append")]
    public Task RawBatch100() => RawAsync(NextBatch(100));

    [Benchmark(OperationsPerInvoke = 1000), BenchmarkCategory("append")]
    public Task<IReadOnlyList<ActivityRecord>> AdapterBatch1000() => _log.AppendManyAsync(NextBatch(1000)).AsTask();

    [Benchmark(OperationsPerInvoke = 1000), BenchmarkCategory("append")]
    public Task RawBatch1000() => RawAsync(NextBatch(1000));
}
