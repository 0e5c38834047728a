using AuditGen.EntityFrameworkCore.Shop;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// The cost of transactional capture: an EF Core create (SaveChanges of one entity) without logging, beside the same
/// create through the generated decorator of a logged use case (begin, SaveChanges, the record, commit: one transaction).
/// Each operation in a scope of its own, as in a request. SQLite on disk at synchronous=FULL; PostgreSQL (needs
/// AUDITGEN_POSTGRES) with synchronous_commit=on.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class TransactionalCaptureBenchmarks
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private ServiceProvider _services = null!;
    private IActivityLogRepo _separateLog = null!;
    private string? _folder;
    private string? _database;

    /// <summary>
    /// The store; "postgres-prepared" is PostgreSQL with the application's connection string asking Npgsql to prepare
    /// statements (<c>Max Auto Prepare</c>), which the record's statements on that connection then are too.
    /// </summary>
    [Params("sqlite", "postgres", "postgres-prepared")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        string connectionString;
        if (Provider == "sqlite")
        {
            _folder = LogFixture.NewFolder("ef");
            connectionString = LogFixture.SqliteFile(_folder, "shop.db");
        }
        else
        {
            connectionString = _database = await LogFixture.NewPostgresDatabaseAsync();
            if (Provider == "postgres-prepared")
            {
                connectionString = new NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 20, AutoPrepareMinUsages = 2 }.ConnectionString;
            }
        }

        _services = new ServiceCollection()
            .AddDbContext<ShopContext>(o => ShopContext.Configure(o, Provider == "sqlite" ? "sqlite" : "postgres", connectionString))
            .AddActivityLog(log => log.UseEntityFrameworkCore<ShopContext>())
            .AddShopUseCases(ServiceLifetime.Scoped)
            .BuildServiceProvider();
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        await ShopContext.CreateAsync(scope.ServiceProvider.GetRequiredService<ShopContext>());

        // Logging as it was before transactional capture: the same table, through the ADO.NET adapter, in a second commit.
        _separateLog = Provider == "sqlite"
            ? new AuditGen.Sqlite.SqliteActivityLogRepo(connectionString)
            : new AuditGen.PostgreSql.PostgreSqlActivityLogRepo(connectionString);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _services.DisposeAsync();
        await ((IAsyncDisposable)_separateLog).DisposeAsync();
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

    [Benchmark(Baseline = true)]
    public async Task CreateWithoutLog()
    {
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        ShopContext db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        db.Orders.Add(new Order { Id = Guid.CreateVersion7(), OwnerId = Alice, Item = "book" });
        await db.SaveChangesAsync();
    }

    [Benchmark]
    public async Task CreateThenAppendInASecondCommit()
    {
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        ShopContext db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        var order = new Order { Id = Guid.CreateVersion7(), OwnerId = Alice, Item = "book" };
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        await _separateLog.AppendAsync(ActivityRecord.Create(Alice, Alice, "place_order", new EntityRef("Order", order.Id),
            new Dictionary<string, object?> { ["item"] = order.Item }));
    }

    [Benchmark]
    public async Task CreateLoggedInOneTransaction()
    {
        await using AsyncServiceScope scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(Alice, "book");
    }
}
