using System.Diagnostics;
using AuditGen.EntityFrameworkCore.Shop;
using Microsoft.EntityFrameworkCore;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// Kill -9 a process running logged use cases on the EF Core store, at random points, again and again: afterwards no
/// change lacks its record and no record lacks its change, and every acknowledged use case is there.
/// </summary>
public abstract class CrashConsistencyTests(string provider) : IDisposable
{
    private readonly ShopDatabase _database = ShopDatabase.Create(provider);

    public void Dispose()
    {
        _database.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string ShopPath()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "AuditGen.EntityFrameworkCore.Shop.dll");
        Assert.True(File.Exists(path), $"the shop is not built at {path}");
        return path;
    }

    [Fact]
    public async Task After_SIGKILL_at_random_points_changes_and_records_agree_exactly()
    {
        var random = new Random(20261130 + provider.Length);
        var placed = new HashSet<Guid>();
        var shipped = new HashSet<Guid>();
        for (int run = 0; run < 6; run++)
        {
            var start = new ProcessStartInfo("dotnet", [ShopPath(), _database.Provider, _database.ConnectionString])
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            using Process shop = Process.Start(start)!;
            Assert.Equal("ready", await shop.StandardOutput.ReadLineAsync());

            int stopAfter = random.Next(10, 200);
            int seen = 0;
            while (seen < stopAfter && await shop.StandardOutput.ReadLineAsync() is { } line)
            {
                Acknowledge(line);
                seen++;
            }

            shop.Kill(entireProcessTree: true);
            while (await shop.StandardOutput.ReadLineAsync() is { } line)
            {
                Acknowledge(line);
            }

            await shop.WaitForExitAsync();
            Assert.True(seen >= stopAfter, "the shop died before it was killed");
        }

        var options = new DbContextOptionsBuilder<ShopContext>();
        ShopContext.Configure(options, _database.Provider, _database.ConnectionString);
        await using var db = new ShopContext(options.Options);
        Dictionary<Guid, Order> orders = await db.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id);
        var log = new DbContextActivityLogRepo<ShopContext>(db);
        var records = new List<ActivityRecord>();
        await foreach (ActivityRecord record in log.StreamAsync(new ActivityQuery { Limit = 1000, Order = ActivityOrder.OldestFirst }))
        {
            records.Add(record);
        }

        var placeRecords = records.Where(r => r.Action == "place_order").Select(r => Guid.Parse(r.EntityRef.EntityId)).ToList();
        var shipRecords = records.Where(r => r.Action == "ship_order").Select(r => Guid.Parse(r.EntityRef.EntityId)).ToList();

        // 0 changes without a record, 0 records without their change, each exactly once.
        Assert.Equal(orders.Keys.Order(), placeRecords.Order());
        Assert.Equal(orders.Values.Where(o => o.Shipped).Select(o => o.Id).Order(), shipRecords.Order());
        Assert.Superset(placed, orders.Keys.ToHashSet());
        Assert.Superset(shipped, shipRecords.ToHashSet());
        Assert.True(placed.Count >= 6 * 10 / 2, $"only {placed.Count} orders were acknowledged");
        Assert.Equal(records.Select(r => r.Sequence).Order(), records.Select(r => r.Sequence)); // commit order

        void Acknowledge(string line)
        {
            string[] parts = line.Split(' ');
            if (parts is ["ack", "place", var id])
            {
                placed.Add(Guid.Parse(id));
            }
            else if (parts is ["ack", "ship", var shippedId])
            {
                shipped.Add(Guid.Parse(shippedId));
            }
        }
    }
}

public sealed class SqliteCrashConsistencyTests() : CrashConsistencyTests("sqlite");

public sealed class PostgreSqlCrashConsistencyTests() : CrashConsistencyTests("postgres");
