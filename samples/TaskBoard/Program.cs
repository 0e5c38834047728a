using AuditGen;
using Microsoft.Extensions.DependencyInjection;
using TaskBoard;

// A short scripted demo of the seed's three views: an entity's history, an owner's feed, and an actor's audit.
await using ServiceProvider services = new ServiceCollection()
    .AddActivityLog()                                   // in memory; UseSqlite(...) arrives with the SQLite adapter
    .AddSingleton<ITaskRepository, InMemoryTaskRepository>()
    .AddTransient<CreateTaskUseCase>()
    .AddTransient<UpdateTaskUseCase>()
    .AddTransient<CompleteTaskUseCase>()
    .BuildServiceProvider();

var alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
var bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");

TaskItem docs = await services.GetRequiredService<CreateTaskUseCase>().ExecuteAsync(alice, new CreateTaskInput("Write the docs"));
TaskItem tests = await services.GetRequiredService<CreateTaskUseCase>().ExecuteAsync(alice, new CreateTaskInput("Write the tests"));
await services.GetRequiredService<UpdateTaskUseCase>().ExecuteAsync(alice, docs.Id, "Write the README");
await services.GetRequiredService<CompleteTaskUseCase>().ExecuteAsync(bob, docs.Id);
await services.GetRequiredService<CompleteTaskUseCase>().ExecuteAsync(alice, tests.Id);

var log = services.GetRequiredService<IActivityLogRepo>();

Console.WriteLine($"History of Task#{docs.Id} (oldest first):");
await foreach (ActivityRecord r in log.StreamAsync(ActivityQuery.ByEntity(new EntityRef("Task", docs.Id)) with { Order = ActivityOrder.OldestFirst }))
{
    Console.WriteLine($"  {r.OccurredAt:yyyy-MM-dd HH:mm:ss}Z  {r.Action,-14} by {r.ActorId}");
}

Console.WriteLine();
Console.WriteLine($"Activity feed of owner {alice}:");
foreach (ActivityRecord r in await log.GetByOwnerAsync(alice, limit: 50))
{
    string details = string.Join(", ", r.Metadata.Select(p => $"{p.Key}={p.Value}"));
    Console.WriteLine($"  {r.OccurredAt:O}  {r.Action,-14} {r.EntityRef}  actor={r.ActorId}  {details}");
}

Console.WriteLine();
Console.WriteLine($"Actions by actor {alice}:");
foreach (var group in (await log.GetByActorAsync(alice, limit: 1000)).CountBy(r => r.Action).OrderByDescending(g => g.Value))
{
    Console.WriteLine($"  {group.Key,-14} {group.Value}");
}
