using AuditGen;
using Microsoft.Extensions.DependencyInjection;
using TaskBoard;

// A short scripted demo of the seed's three views: an entity's history, an owner's feed, and an actor's audit.
var repository = new InMemoryTaskRepository();
await using ServiceProvider services = new ServiceCollection()
    .AddActivityLog()                                   // in memory; UseSqlite(...) arrives with the SQLite adapter
    .AddSingleton<ITaskRepository>(repository)
    .AddSingleton<ITaskQueries>(repository)
    .AddLoggedUseCases()                                // generated: each use case under its interface, logging decorator around it
    .BuildServiceProvider();

var alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
var bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");

var create = services.GetRequiredService<ICreateTaskUseCase>();
TaskItem docs = await create.ExecuteAsync(alice, new CreateTaskInput("Write the docs"));
TaskItem tests = await create.ExecuteAsync(alice, new CreateTaskInput("Write the tests"));
TaskItem chores = await create.ExecuteAsync(bob, new CreateTaskInput("Water the plants"));
await services.GetRequiredService<IUpdateTaskUseCase>().ExecuteAsync(alice, docs.Id, "Write the README");
await services.GetRequiredService<ICompleteTaskUseCase>().ExecuteAsync(bob, docs.Id);
await services.GetRequiredService<ICompleteTaskUseCase>().ExecuteAsync(alice, tests.Id);

// A direct call on the concrete type is intercepted by generated code, so it is logged too.
var log = services.GetRequiredService<IActivityLogRepo>();
await new DeleteTaskUseCase(repository, log).ExecuteAsync(bob, chores.Id);

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
Console.WriteLine($"Actions by actor {bob}:");
foreach (var group in (await log.GetByActorAsync(bob, limit: 1000)).CountBy(r => r.Action).OrderByDescending(g => g.Value))
{
    Console.WriteLine($"  {group.Key,-14} {group.Value}");
}

Console.WriteLine();
Console.WriteLine("Logged actions of this app:");
foreach (ActivityActionInfo action in services.GetRequiredService<ActivityActionCatalog>().Actions)
{
    Console.WriteLine($"  {action.Action,-14} {action.EntityType,-6} {action.UseCaseType}.{action.Method}");
}
