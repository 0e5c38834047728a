using AuditGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace TaskBoard;

/// <summary>A short scripted demo of the seed's three views: an entity's history, an owner's feed, and an actor's audit.</summary>
public static class Demo
{
    public static async Task RunAsync(IConfiguration configuration, TextWriter output)
    {
        await using ServiceProvider services = new ServiceCollection().AddTaskBoard(configuration).BuildServiceProvider();
        var log = services.GetRequiredService<IActivityLogRepo>();
        var repository = services.GetRequiredService<ITaskRepository>();

        Guid alice = DevUsers.Alice, bob = DevUsers.Bob;
        long before = await CountAsync(log, ActivityQuery.ByActor(bob, ActivityQuery.MaxLimit));
        output.WriteLine($"Activity log: {TaskBoardSetup.Describe(configuration)} ({before} records by bob before this run)");
        output.WriteLine();

        var create = services.GetRequiredService<ICreateTaskUseCase>();
        TaskItem docs = await create.ExecuteAsync(alice, new CreateTaskInput("Write the docs"));
        TaskItem tests = await create.ExecuteAsync(alice, new CreateTaskInput("Write the tests"));
        TaskItem chores = await create.ExecuteAsync(bob, new CreateTaskInput("Water the plants"));
        await services.GetRequiredService<IUpdateTaskUseCase>().ExecuteAsync(alice, docs.Id, "Write the README");
        await services.GetRequiredService<ICompleteTaskUseCase>().ExecuteAsync(bob, docs.Id);
        await services.GetRequiredService<ICompleteTaskUseCase>().ExecuteAsync(alice, tests.Id);

        // A direct call on the concrete type is intercepted by generated code, so it is logged too.
        await new DeleteTaskUseCase(repository, log).ExecuteAsync(bob, chores.Id);

        output.WriteLine($"History of Task#{docs.Id} (oldest first):");
        await foreach (ActivityRecord r in log.StreamAsync(ActivityQuery.ByEntity(new EntityRef("Task", docs.Id)) with { Order = ActivityOrder.OldestFirst }))
        {
            output.WriteLine($"  {r.OccurredAt:yyyy-MM-dd HH:mm:ss}Z  {r.Action,-14} by {DevUsers.NameOf(r.ActorId)}");
        }

        output.WriteLine();
        output.WriteLine($"Activity feed of alice ({alice}), newest first, at most 10:");
        foreach (ActivityRecord r in await log.GetByOwnerAsync(alice, limit: 10))
        {
            string details = string.Join(", ", r.Metadata.Select(p => $"{p.Key}={p.Value}"));
            output.WriteLine($"  {r.OccurredAt.UtcDateTime:O}  {r.Action,-14} {r.EntityRef}  actor={DevUsers.NameOf(r.ActorId)}  {details}");
        }

        output.WriteLine();
        output.WriteLine($"Actions by bob ({bob}), all runs:");
        var counts = new Dictionary<string, int>();
        await foreach (ActivityRecord r in log.StreamAsync(ActivityQuery.ByActor(bob, ActivityQuery.MaxLimit)))
        {
            counts[r.Action] = counts.GetValueOrDefault(r.Action) + 1;
        }

        foreach ((string action, int count) in counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {action,-14} {count}");
        }

        output.WriteLine();
        output.WriteLine("Logged actions of this app:");
        foreach (ActivityActionInfo action in services.GetRequiredService<ActivityActionCatalog>().Actions)
        {
            output.WriteLine($"  {action.Action,-14} {action.EntityType,-6} {action.UseCaseType}.{action.Method}");
        }

        output.WriteLine();
        output.WriteLine("Run it again and the counts grow: the log is durable. `-- serve` hosts the API and a page on http://127.0.0.1:5080.");
    }

    private static async Task<long> CountAsync(IActivityLogRepo log, ActivityQuery query)
    {
        long count = 0;
        await foreach (ActivityRecord _ in log.StreamAsync(query))
        {
            count++;
        }

        return count;
    }
}
