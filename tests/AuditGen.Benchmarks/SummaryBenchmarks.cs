using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using BenchmarkDotNet.Attributes;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// An actor with 100,000 of 1,000,000 records (7 actions), summarised per action: all time, and within a window of a
/// tenth of the log; and an owner's summary of the same size.
/// </summary>
public abstract class SummaryBenchmarks
{
    protected const int Rows = 1_000_000;
    private static readonly Guid Auditee = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract IActivityLogRepo Log { get; }

    /// <summary>Every tenth record is the auditee's (and of their data); the rest spread over 900 actors and owners.</summary>
    protected static IEnumerable<ActivityRecord> Fill()
    {
        for (int i = 0; i < Rows; i++)
        {
            Guid who = i % 10 == 0 ? Auditee : LogFixture.Actor(i % 900);
            Guid whose = i % 10 == 0 ? Auditee : LogFixture.Owner(i % 900);
            yield return ActivityRecord.Create(who, whose, LogFixture.Action(i % 7 % LogFixture.Actions), LogFixture.Entity(i % 1000),
                new Dictionary<string, object?> { ["n"] = i }, Start.AddSeconds(i));
        }
    }

    [Benchmark]
    public ValueTask<ActivitySummary> ActorAllTime() => Log.SummarizeAsync(ActivitySummaryQuery.ByActor(Auditee));

    [Benchmark]
    public ValueTask<ActivitySummary> ActorTenthOfTheTime() =>
        Log.SummarizeAsync(ActivitySummaryQuery.ByActor(Auditee, Start.AddSeconds(Rows * 0.45), Start.AddSeconds(Rows * 0.55)));

    [Benchmark]
    public ValueTask<ActivitySummary> OwnerAllTime() => Log.SummarizeAsync(ActivitySummaryQuery.ByOwner(Auditee));
}

/// <summary>SQLite on disk.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class SqliteSummaryBenchmarks : SummaryBenchmarks
{
    private string _folder = null!;
    private SqliteActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("summary");
        _log = new SqliteActivityLogRepo(new SqliteActivityLogOptions { ConnectionString = LogFixture.SqliteFile(_folder), Durability = SqliteDurability.Normal });
        foreach (ActivityRecord[] chunk in Fill().Chunk(20_000))
        {
            await _log.AppendManyAsync(chunk);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _log.Dispose();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}

/// <summary>PostgreSQL (the test cluster of eng/postgres.sh).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class PostgreSqlSummaryBenchmarks : SummaryBenchmarks
{
    private string _schema = null!;
    private PostgreSqlActivityLogRepo _log = null!;

    protected override IActivityLogRepo Log => _log;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _schema = LogFixture.NewSchemaName("summary");
        _log = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = LogFixture.PostgresServer, Schema = _schema });
        foreach (ActivityRecord[] chunk in Fill().Chunk(20_000))
        {
            await _log.AppendManyAsync(chunk);
        }

        await using var connection = new NpgsqlConnection(LogFixture.PostgresServer);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand($"VACUUM ANALYZE \"{_schema}\".activity_records", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await LogFixture.DropSchemaAsync(_schema);
        _log.Dispose();
    }
}
