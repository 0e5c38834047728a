using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// The cost of capturing a bulk write (issue 25): one <c>ExecuteUpdateAsync</c> of 1,000 rows (a setter that reads the
/// row), unlogged (baseline), inside a logged use case without capture, and inside one with capture (the generated
/// interceptor reads the rows' keys and old values before, the new values by key after, and the record lists 1,000
/// entity changes). The call sites below are intercepted by the generator, as an application's are. SQLite on disk at
/// synchronous=FULL; PostgreSQL (needs AUDITGEN_POSTGRES) with synchronous_commit=on.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class BulkWriteBenchmarks
{
    private const int Rows = 1_000;
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private ServiceProvider _capturing = null!;
    private ServiceProvider _notCapturing = null!;
    private string? _folder;
    private string? _database;

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        string connectionString;
        if (Provider == "sqlite")
        {
            _folder = LogFixture.NewFolder("bulk");
            connectionString = LogFixture.SqliteFile(_folder, "stock.db");
        }
        else
        {
            connectionString = _database = await LogFixture.NewPostgresDatabaseAsync();
        }

        _capturing = Services(connectionString, capture: true);
        _notCapturing = Services(connectionString, capture: false);
        await using AsyncServiceScope scope = _capturing.CreateAsyncScope();
        ChangeCaptureBenchmarks.ProductContext db = scope.ServiceProvider.GetRequiredService<ChangeCaptureBenchmarks.ProductContext>();
        await db.Database.EnsureCreatedAsync();
        await db.Database.MigrateActivityLogAsync();
        db.Products.AddRange(Enumerable.Range(1, Rows).Select(i => new ChangeCaptureBenchmarks.Product { Id = i, Name = "n" + i, Description = "d", Category = "c" }));
        await db.SaveChangesAsync();
    }

    private ServiceProvider Services(string connectionString, bool capture) => new ServiceCollection()
        .AddDbContext<ChangeCaptureBenchmarks.ProductContext>(o => _ = Provider == "sqlite" ? o.UseSqlite(connectionString) : o.UseNpgsql(connectionString))
        .AddActivityLog(log => log.UseEntityFrameworkCore<ChangeCaptureBenchmarks.ProductContext>(o => o.Changes.Enabled = capture))
        .BuildServiceProvider();

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _capturing.DisposeAsync();
        await _notCapturing.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        if (_folder is not null)
        {
            LogFixture.DeleteSqliteFolder(_folder);
        }

        if (_database is not null)
        {
            await LogFixture.DropPostgresDatabaseAsync(_database);
        }
    }

    [Benchmark(Baseline = true, Description = "ExecuteUpdate of 1,000 rows, unlogged")]
    public async Task<int> Unlogged()
    {
        await using AsyncServiceScope scope = _capturing.CreateAsyncScope();
        return await Update(scope.ServiceProvider.GetRequiredService<ChangeCaptureBenchmarks.ProductContext>());
    }

    [Benchmark(Description = "logged, capture off")]
    public Task LoggedWithoutCapture() => LoggedAsync(_notCapturing);

    [Benchmark(Description = "logged, 1,000 entity changes captured")]
    public Task LoggedWithCapture() => LoggedAsync(_capturing);

    private static Task<int> Update(ChangeCaptureBenchmarks.ProductContext db) =>
        db.Products.Where(p => p.Id > 0).ExecuteUpdateAsync(s => s.SetProperty(p => p.Stock, p => p.Stock + 1).SetProperty(p => p.Category, "bulk"));

    /// <summary>What the generated code of a logged use case does: begin, the use case, the record, commit.</summary>
    private static async Task LoggedAsync(ServiceProvider services)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        ChangeCaptureBenchmarks.ProductContext db = scope.ServiceProvider.GetRequiredService<ChangeCaptureBenchmarks.ProductContext>();
        ActivityTransaction transaction = await ActivityTransaction.BeginAsync(scope.ServiceProvider.GetRequiredService<IActivityLogRepo>());
        await using (transaction)
        {
            await Update(db);
            await transaction.CompleteAsync(ActivityRecord.Create(Alice, Alice, "restock", new EntityRef("Warehouse", "main")));
        }
    }
}
