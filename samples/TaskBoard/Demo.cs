using AuditGen;
using AuditGen.Integrity;

namespace TaskBoard;

/// <summary>A short scripted demo of the seed's three views: an entity's history, an owner's feed, and an actor's audit.</summary>
public static class Demo
{
    public static async Task RunAsync(IConfiguration configuration, TextWriter output)
    {
        await using ServiceProvider services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
            .AddTaskBoard(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await TaskBoardDbContext.CreateAsync(services);

        // As in a web request, each use case runs in its own scope: its own context and transaction.
        async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> run)
        {
            await using AsyncServiceScope scope = services.CreateAsyncScope();
            return await run(scope.ServiceProvider);
        }

        await using AsyncServiceScope reads = services.CreateAsyncScope();
        var log = reads.ServiceProvider.GetRequiredService<IActivityLogRepo>();
        // Titles are personal data: stored sealed under their owner's key, opened here for people to read — or "erased"
        // once `auditgen erase` has deleted that owner's key.
        var keys = reads.ServiceProvider.GetRequiredService<ActivitySubjectKeys>();

        Guid alice = DevUsers.Alice, bob = DevUsers.Bob;
        long before = await CountAsync(log, ActivityQuery.ByActor(bob, ActivityQuery.MaxLimit));
        output.WriteLine($"Activity log: {TaskBoardSetup.Describe(configuration)} ({before} records by bob before this run)");
        output.WriteLine();

        TaskItem docs = await InScopeAsync(sp => sp.GetRequiredService<ICreateTaskUseCase>().ExecuteAsync(alice, new CreateTaskInput("Write the docs")));
        TaskItem tests = await InScopeAsync(sp => sp.GetRequiredService<ICreateTaskUseCase>().ExecuteAsync(alice, new CreateTaskInput("Write the tests")));
        TaskItem chores = await InScopeAsync(sp => sp.GetRequiredService<ICreateTaskUseCase>().ExecuteAsync(bob, new CreateTaskInput("Water the plants")));
        await InScopeAsync(sp => sp.GetRequiredService<IUpdateTaskUseCase>().ExecuteAsync(alice, docs.Id, "Write the README"));
        await InScopeAsync(sp => sp.GetRequiredService<ICompleteTaskUseCase>().ExecuteAsync(bob, docs.Id));
        await InScopeAsync(sp => sp.GetRequiredService<ICompleteTaskUseCase>().ExecuteAsync(alice, tests.Id));

        // A direct call on the concrete type is intercepted by generated code, so it is logged too (in one transaction).
        await InScopeAsync(async sp =>
        {
            await new DeleteTaskUseCase(sp.GetRequiredService<ITaskRepository>(), sp.GetRequiredService<IActivityLogRepo>()).ExecuteAsync(bob, chores.Id);
            return true;
        });

        output.WriteLine($"History of Task#{docs.Id} (oldest first):");
        await foreach (ActivityRecord stored in log.StreamAsync(ActivityQuery.ByEntity(new EntityRef("Task", docs.Id)) with { Order = ActivityOrder.OldestFirst }))
        {
            ActivityRecord r = await keys.UnsealAsync(stored);
            output.WriteLine($"  {r.OccurredAt:yyyy-MM-dd HH:mm:ss}Z  {r.Action,-14} by {DevUsers.NameOf(r.ActorId)}");
            foreach (EntityChange change in r.Changes)
            {
                foreach (PropertyChange property in change.Properties)
                {
                    output.WriteLine($"      {Diff(change.Kind, property)}");
                }
            }
        }

        output.WriteLine();
        output.WriteLine($"Activity feed of alice ({alice}), newest first, at most 10:");
        foreach (ActivityRecord r in await keys.UnsealAsync(await log.GetByOwnerAsync(alice, limit: 10)))
        {
            string details = string.Join(", ", r.Metadata.Select(p => $"{p.Key}={Text(p.Value)}"));
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
        foreach (ActivityActionInfo action in reads.ServiceProvider.GetRequiredService<ActivityActionCatalog>().Actions)
        {
            output.WriteLine($"  {action.Action,-14} {action.EntityType,-6} {action.UseCaseType}.{action.Method}");
        }

        // Tamper evidence: a host runs the checkpointer, which signs checkpoints on its own and a last one when it stops; here,
        // without a host, stopping it does the same (and hands its lease back for the next run). Then anyone can verify.
        ActivityCheckpointer checkpointer = services.GetRequiredService<ActivityCheckpointer>();
        await checkpointer.StopAsync(CancellationToken.None);
        ActivityCheckpoint? checkpoint = checkpointer.Latest;
        TaskBoardCheckpoints checkpoints = services.GetRequiredService<TaskBoardCheckpoints>();
        output.WriteLine();
        if (checkpoints.Announcement is { } announcement)
        {
            output.WriteLine(announcement);
        }

        output.WriteLine($"Checkpoint: {checkpoint?.TreeSize} records signed into {checkpoints.Directory}. Verify: {TaskBoardSetup.VerifyCommand(configuration)}");
        output.WriteLine($"The log's key (for a witness: auditgen witness --state witness.db --log-key <it>): {checkpointer.VerifierKey}");
        if (checkpoint is not null && (await services.GetRequiredService<IActivityCheckpointSink>().LatestAsync())?.Cosignatures is { Count: > 0 } cosignatures)
        {
            output.WriteLine($"Cosigned by the witness: {string.Join(", ", cosignatures.Select(c => c.KeyName).Distinct())}.");
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

    /// <summary>A record value as a person reads it: a personal value opened, an erased one as "erased".</summary>
    private static string Text(object? value) => value switch
    {
        PersonalValue personal => Text(personal.Value),
        ErasedValue => "erased",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>One changed property as a person reads it: <c>Title: "Draft" → "Ship it"</c>.</summary>
    private static string Diff(EntityChangeKind kind, PropertyChange property)
    {
        static string Shown(object? value) => value switch
        {
            null => "null",
            PersonalValue personal => Shown(personal.Value),
            ErasedValue => "erased",
            string text => $"\"{text}\"",
            bool flag => flag ? "true" : "false",
            _ => Text(value),
        };

        return property.Withheld ? $"{property.Name}: changed (value withheld)"
            : kind == EntityChangeKind.Added ? $"{property.Name}: {Shown(property.NewValue)}"
            : kind == EntityChangeKind.Deleted ? $"{property.Name}: was {Shown(property.OldValue)}"
            : $"{property.Name}: {Shown(property.OldValue)} → {Shown(property.NewValue)}";
    }
}
