using Microsoft.EntityFrameworkCore;

namespace AuditGen.EntityFrameworkCore.Shop;

public sealed class Order
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public string Item { get; set; } = "";

    public bool Shipped { get; set; }
}

/// <summary>The application's context, with the activity log mapped beside its own table.</summary>
public sealed class ShopContext(DbContextOptions<ShopContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>().ToTable("orders");
        modelBuilder.MapActivityLog(this);
    }

    /// <summary>Options for SQLite (<c>sqlite</c>) or PostgreSQL (<c>postgres</c>).</summary>
    public static void Configure(DbContextOptionsBuilder options, string provider, string connectionString)
    {
        _ = provider switch
        {
            "sqlite" => options.UseSqlite(connectionString),
            "postgres" => options.UseNpgsql(connectionString),
            _ => throw new ArgumentException($"provider must be sqlite or postgres, not {provider}", nameof(provider)),
        };
    }

    /// <summary>Creates the application's tables, then the log's.</summary>
    public static async Task CreateAsync(ShopContext context)
    {
        await context.Database.EnsureCreatedAsync();
        await context.Database.MigrateActivityLogAsync();
    }
}
