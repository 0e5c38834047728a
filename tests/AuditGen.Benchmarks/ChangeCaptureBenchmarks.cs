using AuditGen.EntityFrameworkCore;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AuditGen.Benchmarks;

/// <summary>
/// The cost of change capture (issue 25): an EF Core update of one loaded entity with five changed properties, unlogged
/// (baseline), logged without capture (<see cref="ChangeCaptureOptions.Enabled"/> off) and logged with capture; and a
/// disconnected update (<c>Update(entity)</c>, no load) logged without and with capture, where capture reads the
/// originals first. Each operation in a scope of its own, as in a request. SQLite on disk at synchronous=FULL; PostgreSQL
/// (needs AUDITGEN_POSTGRES) with synchronous_commit=on.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ChangeCaptureBenchmarks
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private ServiceProvider _capturing = null!;
    private ServiceProvider _notCapturing = null!;
    private string? _folder;
    private string? _database;
    private int _round;

    [Params("sqlite", "postgres")]
    public string Provider { get; set; } = "sqlite";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        string connectionString;
        if (Provider == "sqlite")
        {
            _folder = LogFixture.NewFolder("capture");
            connectionString = LogFixture.SqliteFile(_folder, "products.db");
        }
        else
        {
            connectionString = _database = await LogFixture.NewPostgresDatabaseAsync();
        }

        _capturing = Services(connectionString, capture: true);
        _notCapturing = Services(connectionString, capture: false);
        await using AsyncServiceScope scope = _capturing.CreateAsyncScope();
        ProductContext db = scope.ServiceProvider.GetRequiredService<ProductContext>();
        await db.Database.EnsureCreatedAsync();
        await db.Database.MigrateActivityLogAsync();
        db.Products.Add(new Product { Id = 1, Name = "n", Description = "d", Category = "c" });
        await db.SaveChangesAsync();
    }

    private ServiceProvider Services(string connectionString, bool capture) => new ServiceCollection()
        .AddDbContext<ProductContext>(o => _ = Provider == "sqlite" ? o.UseSqlite(connectionString) : o.UseNpgsql(connectionString))
        .AddActivityLog(log => log.UseEntityFrameworkCore<ProductContext>(o => o.Changes.Enabled = capture))
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

    [Benchmark(Baseline = true)]
    public async Task UpdateWithoutLog()
    {
        await using AsyncServiceScope scope = _capturing.CreateAsyncScope();
        ProductContext db = scope.ServiceProvider.GetRequiredService<ProductContext>();
        Change(await db.Products.SingleAsync(p => p.Id == 1));
        await db.SaveChangesAsync();
    }

    [Benchmark]
    public Task UpdateLoggedWithoutCapture() => LoggedAsync(_notCapturing, disconnected: false);

    [Benchmark]
    public Task UpdateLoggedWithCapture() => LoggedAsync(_capturing, disconnected: false);

    [Benchmark]
    public Task DisconnectedUpdateLoggedWithoutCapture() => LoggedAsync(_notCapturing, disconnected: true);

    [Benchmark]
    public Task DisconnectedUpdateLoggedWithCapture() => LoggedAsync(_capturing, disconnected: true);

    /// <summary>What the generated code of a logged use case does: begin, the use case, the record, commit.</summary>
    private async Task LoggedAsync(ServiceProvider services, bool disconnected)
    {
        await using AsyncServiceScope scope = services.CreateAsyncScope();
        ProductContext db = scope.ServiceProvider.GetRequiredService<ProductContext>();
        ActivityTransaction transaction = await ActivityTransaction.BeginAsync(scope.ServiceProvider.GetRequiredService<IActivityLogRepo>());
        await using (transaction)
        {
            if (disconnected)
            {
                var posted = new Product { Id = 1 };
                Change(posted);
                db.Update(posted);
            }
            else
            {
                Change(await db.Products.SingleAsync(p => p.Id == 1));
            }

            await db.SaveChangesAsync();
            await transaction.CompleteAsync(ActivityRecord.Create(Alice, Alice, "update_product", new EntityRef("Product", 1)));
        }
    }

    /// <summary>Five properties, different every round.</summary>
    private void Change(Product product)
    {
        int round = Interlocked.Increment(ref _round);
        product.Name = "name " + round;
        product.Description = "description " + round;
        product.Category = "category " + (round % 7);
        product.Price = round % 1000;
        product.Stock = round;
    }

    public sealed class Product
    {
        public int Id { get; set; }

        public string Name { get; set; } = "";

        public string Description { get; set; } = "";

        public string Category { get; set; } = "";

        public decimal Price { get; set; }

        public int Stock { get; set; }
    }

    public sealed class ProductContext(DbContextOptions<ProductContext> options) : DbContext(options)
    {
        public DbSet<Product> Products => Set<Product>();

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.Entity<Product>(p =>
            {
                p.ToTable("products");
                p.Property(x => x.Id).ValueGeneratedNever();
            });
    }
}
