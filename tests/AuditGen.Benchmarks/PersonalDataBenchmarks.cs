using AuditGen.PostgreSql;
using AuditGen.Sqlite;
using AuditGen.Storage;
using BenchmarkDotNet.Attributes;

namespace AuditGen.Benchmarks;

/// <summary>
/// Issue 26's goals, side by side in one run: appending a record with three personal values (sealed by the pipeline under
/// the owner's key) against the same record with the values in clear; reading a page of 50 such records and opening them
/// against reading a page of 50 clear ones. Keys are cached as in an application (one subject per owner, 50 owners).
/// </summary>
public abstract class PersonalDataBenchmarks
{
    private const int Owners = 50;
    private int _appended;

    protected ActivityLog Log { get; private set; } = null!;

    protected ActivitySubjectKeys Keys { get; private set; } = null!;

    protected abstract IActivityLogRepo Store { get; }

    protected abstract IActivitySubjectKeyStore KeyStore { get; }

    protected async Task StartAsync()
    {
        Keys = new ActivitySubjectKeys(KeyStore, FileActivityKeyEncryptionKey.Create());
        Log = new ActivityLog(Store) { PersonalData = Keys };
        for (int i = 0; i < 200; i++)
        {
            await Log.AppendAsync(Record("clear_task", i % Owners, personal: false));
            await Log.AppendAsync(Record("personal_task", i % Owners, personal: true));
        }
    }

    private static ActivityRecord Record(string action, int owner, bool personal)
    {
        Guid subject = LogFixture.Owner(owner);
        object? Value(string text) => personal ? new PersonalValue(subject, text) : text;
        return ActivityRecord.Create(LogFixture.Actor(owner), subject, action, LogFixture.Entity(owner), new Dictionary<string, object?>
        {
            ["title"] = Value("Call Dr. Smith about the results"),
            ["assignee"] = Value("Alice Example"),
            ["email"] = Value("alice@example.org"),
        });
    }

    [Benchmark(Baseline = true, Description = "append, three values in clear")]
    public ValueTask<AppendResult> AppendClear() => Log.AppendAsync(Record("clear_task", Interlocked.Increment(ref _appended) % Owners, personal: false));

    [Benchmark(Description = "append, three personal values (sealed)")]
    public ValueTask<AppendResult> AppendPersonal() => Log.AppendAsync(Record("personal_task", Interlocked.Increment(ref _appended) % Owners, personal: true));

    [Benchmark(Description = "read a page of 50, values in clear")]
    public async Task<int> ReadClearPage() => (await Store.QueryAsync(ActivityQuery.ByAction("clear_task", 50))).Items.Count;

    [Benchmark(Description = "read a page of 50, personal values opened")]
    public async Task<int> ReadPersonalPage()
    {
        ActivityPage page = await Store.QueryAsync(ActivityQuery.ByAction("personal_task", 50));
        return (await Keys.UnsealAsync(page.Items)).Count;
    }
}

/// <summary>The in-memory store: what sealing and opening cost in CPU alone, without a database round trip to hide it.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class InMemoryPersonalDataBenchmarks : PersonalDataBenchmarks
{
    private readonly InMemoryActivityLogRepo _store = new();

    protected override IActivityLogRepo Store => _store;

    protected override IActivitySubjectKeyStore KeyStore => _store;

    [GlobalSetup]
    public Task SetupAsync() => StartAsync();
}

/// <summary>SQLite on disk, full durability.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SqlitePersonalDataBenchmarks : PersonalDataBenchmarks
{
    private string _folder = null!;
    private SqliteActivityLogRepo _store = null!;

    protected override IActivityLogRepo Store => _store;

    protected override IActivitySubjectKeyStore KeyStore => _store;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _folder = LogFixture.NewFolder("personal");
        _store = new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
        await StartAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}

/// <summary>PostgreSQL on the server named by AUDITGEN_POSTGRES (eng/postgres.sh starts one).</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PostgreSqlPersonalDataBenchmarks : PersonalDataBenchmarks
{
    private readonly string _schema = LogFixture.NewSchemaName("personal");
    private PostgreSqlActivityLogRepo _store = null!;

    protected override IActivityLogRepo Store => _store;

    protected override IActivitySubjectKeyStore KeyStore => _store;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _store = new PostgreSqlActivityLogRepo(new PostgreSqlActivityLogOptions { ConnectionString = LogFixture.PostgresServer, Schema = _schema });
        await StartAsync();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await LogFixture.DropSchemaAsync(_schema);
        await _store.DisposeAsync();
    }
}

/// <summary>
/// Erasure is constant time: one key row deleted and one record appended, whether the subject has 1,000 or 100,000 sealed
/// values (each iteration erases a subject given that many values in its setup; SQLite on disk).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class SubjectErasureBenchmarks
{
    private string _folder = null!;
    private SqliteActivityLogRepo _store = null!;
    private ActivitySubjectKeys _keys = null!;
    private Guid _subject;
    private int _iteration;

    [Params(1_000, 100_000)]
    public int SealedValues { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = LogFixture.NewFolder("erase");
        _store = new SqliteActivityLogRepo(LogFixture.SqliteFile(_folder));
        _keys = new ActivitySubjectKeys(_store, FileActivityKeyEncryptionKey.Create());
    }

    [IterationSetup]
    public void SealValuesOfANewSubject()
    {
        _subject = LogFixture.Owner(1_000 + Interlocked.Increment(ref _iteration));
        Guid subject = _subject;
        Task.Run(async () =>
        {
            foreach (int[] chunk in Enumerable.Range(0, SealedValues).Chunk(5_000))
            {
                var batch = new List<ActivityRecord>(chunk.Length);
                foreach (int i in chunk)
                {
                    batch.Add(await _keys.SealAsync(ActivityRecord.Create(subject, subject, "note", LogFixture.Entity(i % 100),
                        new Dictionary<string, object?> { ["text"] = new PersonalValue(subject, $"note {i} about the subject") })));
                }

                await _store.AppendManyAsync(batch);
            }
        }).GetAwaiter().GetResult();
    }

    [Benchmark(Description = "erase a subject")]
    public ValueTask<ActivityRecord> Erase() => _keys.EraseSubjectAsync(_subject, "benchmark", _subject);

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        LogFixture.DeleteSqliteFolder(_folder);
    }
}
