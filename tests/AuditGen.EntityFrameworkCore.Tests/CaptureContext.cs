using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace AuditGen.EntityFrameworkCore.Tests;

public enum CustomerStatus
{
    Prospect,
    Active,
    Suspended,
}

public sealed class Customer
{
    [DatabaseGenerated(DatabaseGeneratedOption.Identity)]
    public int Id { get; set; }

    public string Name { get; set; } = "";

    public string Email { get; set; } = "";

    public CustomerStatus Status { get; set; }

    public int Visits { get; set; }

    public string PasswordHash { get; set; } = "";

    [NotAudited]
    public string? Notes { get; set; }

    public string? Bio { get; set; }

    public byte[]? Photo { get; set; }

    public Address Address { get; set; } = new();

    public Money Balance { get; set; } = new();

    public List<Tag> Tags { get; set; } = [];

    public List<Phone> Phones { get; set; } = [];
}

/// <summary>An owned collection.</summary>
public sealed class Phone
{
    public string Number { get; set; } = "";
}

/// <summary>An owned type.</summary>
public sealed class Address
{
    public string Street { get; set; } = "";

    public string City { get; set; } = "";
}

/// <summary>A complex type.</summary>
public sealed class Money
{
    public decimal Amount { get; set; }

    public string Currency { get; set; } = "EUR";
}

public sealed class Tag
{
    public int Id { get; set; }

    public string Label { get; set; } = "";

    public List<Customer> Customers { get; set; } = [];
}

/// <summary>Its customer is a navigation only: the foreign key <c>CustomerId</c> is a shadow property.</summary>
public sealed class Invoice
{
    public int Id { get; set; }

    public string Number { get; set; } = "";

    public Customer? Customer { get; set; }
}

/// <summary>A row with a composite key: a warehouse's stock of one product.</summary>
public sealed class StockLevel
{
    public string Warehouse { get; set; } = "";

    public int ProductId { get; set; }

    public int Quantity { get; set; }
}

/// <summary>A model with every shape the change capture handles.</summary>
public sealed class CaptureContext(DbContextOptions<CaptureContext> options) : DbContext(options)
{
    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Tag> Tags => Set<Tag>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<StockLevel> StockLevels => Set<StockLevel>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>(c =>
        {
            c.ToTable("customers");
            c.Property(x => x.Status).HasConversion<string>();
            c.OwnsOne(x => x.Address);
            c.OwnsMany(x => x.Phones, p =>
            {
                p.ToTable("customer_phones");
                p.Property<int>("Id");
                p.HasKey("Id"); // a key of its own: SQLite generates no values in composite keys
            });
            c.ComplexProperty(x => x.Balance);
            c.HasMany(x => x.Tags).WithMany(x => x.Customers).UsingEntity("customer_tags");
        });
        modelBuilder.Entity<Tag>().ToTable("tags");
        modelBuilder.Entity<Invoice>().ToTable("invoices");
        modelBuilder.Entity<StockLevel>(s =>
        {
            s.ToTable("stock_levels");
            s.HasKey(x => new { x.Warehouse, x.ProductId });
        });
        modelBuilder.MapActivityLog(this);
    }

    public static void Configure(DbContextOptionsBuilder options, string provider, string connectionString)
    {
        _ = provider switch
        {
            "sqlite" => options.UseSqlite(connectionString),
            "postgres" => options.UseNpgsql(connectionString),
            _ => throw new ArgumentException($"provider must be sqlite or postgres, not {provider}", nameof(provider)),
        };
    }
}
