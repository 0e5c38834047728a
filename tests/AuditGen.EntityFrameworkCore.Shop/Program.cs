using AuditGen.EntityFrameworkCore.Shop;
using Microsoft.Extensions.DependencyInjection;

// Usage: AuditGen.EntityFrameworkCore.Shop <sqlite|postgres> <connection string>
// Four workers place and ship orders, each use case in its own scope, and write "ack <order id>" once it returned.
string provider = args[0];
string connectionString = args[1];
var actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

await using ServiceProvider services = new ServiceCollection()
    .AddDbContext<ShopContext>(o => ShopContext.Configure(o, provider, connectionString))
    .AddActivityLog(log => log.UseEntityFrameworkCore<ShopContext>())
    .AddLoggedUseCases(ServiceLifetime.Scoped)
    .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

await using (AsyncServiceScope scope = services.CreateAsyncScope())
{
    await ShopContext.CreateAsync(scope.ServiceProvider.GetRequiredService<ShopContext>());
}

using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var gate = new SemaphoreSlim(1, 1);
async Task AckAsync(string line)
{
    await gate.WaitAsync();
    try
    {
        await output.WriteLineAsync(line);
    }
    finally
    {
        gate.Release();
    }
}

await output.WriteLineAsync("ready");
await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
{
    for (int n = 0; ; n++)
    {
        Order order;
        await using (AsyncServiceScope scope = services.CreateAsyncScope())
        {
            order = await scope.ServiceProvider.GetRequiredService<IPlaceOrder>().ExecuteAsync(actor, $"item {worker}-{n}");
        }

        await AckAsync($"ack place {order.Id}");
        if (n % 3 == 0)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IShipOrder>().ExecuteAsync(actor, order.Id);
            await AckAsync($"ack ship {order.Id}");
        }
    }
})));
