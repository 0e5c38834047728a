using System.Diagnostics;
using AuditGen.UseCases;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.Generated.Tests;

/// <summary>Behaviour of the generated decorators and interceptors, running for real.</summary>
public class GeneratedCodeTests
{
    private static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");

    private sealed class FixedActor(Guid? actor) : IActorAccessor
    {
        public Guid? CurrentActorId => actor;
    }

    private sealed class Veto : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(BeforeAppendDecision.Veto("no"));
    }

    private sealed class TokenSpy : IBeforeAppendHook
    {
        public CancellationToken Seen;

        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            Seen = cancellationToken;
            return ValueTask.FromResult(BeforeAppendDecision.Continue);
        }
    }

    private static ServiceProvider Services(Action<ActivityLogBuilder>? log = null, Guid? actor = null) => new ServiceCollection()
        .AddActivityLog(log)
        .AddSingleton<ITaskRepository, InMemoryTaskRepository>()
        .AddSingleton<IActorAccessor>(new FixedActor(actor))
        .AddSingleton(new CancellationTokenSource()) // the "caller" that ArchiveTaskUseCase aborts
        .AddTaskUseCases()       // the public, named registration of AuditGen.UseCases
        .AddLoggedUseCases()     // this assembly's own, internal one: no ambiguity
        .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

    [Fact]
    public async Task A_direct_call_from_another_assembly_is_intercepted_and_logs_the_seed_record()
    {
        var log = new InMemoryActivityLogRepo();
        var repo = new InMemoryTaskRepository();
        var useCase = new CreateTaskUseCase(repo, log);

        TaskItem task = await useCase.ExecuteAsync(Alice, new CreateTaskInput("Write docs"));

        ActivityRecord record = Assert.Single(log.Records);
        Assert.Equal("create_task", record.Action);
        Assert.Equal(Alice, record.ActorId);
        Assert.Equal(task.OwnerId, record.OwnerId);
        Assert.Equal(new EntityRef("TaskItem", task.Id), record.EntityRef);
        Assert.Equal("Write docs", Assert.Single(record.Metadata).Value);
        Assert.Equal("title", record.Metadata.Keys.Single());
        Assert.Single(await log.GetByActionAsync("create_task"));
    }

    [Fact]
    public async Task A_call_through_DI_is_decorated_and_logs_exactly_once()
    {
        using ServiceProvider services = Services();
        var useCase = services.GetRequiredService<ICreateTaskUseCase>();

        TaskItem task = await useCase.ExecuteAsync(Bob, new CreateTaskInput("Through DI"));

        ActivityRecord record = Assert.Single(services.GetRequiredService<InMemoryActivityLogRepo>().Records);
        Assert.Equal(Bob, record.ActorId);
        Assert.Equal(task.Id.ToString(), record.EntityRef.EntityId);
        Assert.Equal("Through DI", record.Metadata["title"]);
        Assert.Equal("CreateTaskUseCaseLoggingDecorator", useCase.GetType().Name);
    }

    [Fact]
    public async Task A_throwing_use_case_logs_nothing_and_its_exception_flows_unchanged()
    {
        var log = new InMemoryActivityLogRepo();
        var useCase = new CreateTaskUseCase(new InMemoryTaskRepository(), log);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => useCase.ExecuteAsync(Alice, new CreateTaskInput(" ")));

        Assert.Equal("input", ex.ParamName);
        Assert.Contains(nameof(CreateTaskUseCase), ex.StackTrace!.Split('\n')[0]); // thrown by the use case, not wrapped
        Assert.Empty(log.Records);

        var commands = new TaskCommands(log);
        await Assert.ThrowsAsync<InvalidOperationException>(() => commands.ReopenAsync(Alice, Guid.NewGuid()));
        Assert.Empty(log.Records);
    }

    [Fact]
    public async Task A_vetoed_record_leaves_the_result_intact()
    {
        using ServiceProvider services = Services(log => log.AddBeforeAppendHook(new Veto()));

        TaskItem task = await services.GetRequiredService<ICreateTaskUseCase>().ExecuteAsync(Alice, new CreateTaskInput("Vetoed"));

        Assert.Equal("Vetoed", task.Title);
        Assert.Single(services.GetRequiredService<ITaskRepository>().All);
        Assert.Empty(services.GetRequiredService<InMemoryActivityLogRepo>().Records);
    }

    [Fact]
    public async Task The_callers_token_stops_the_use_case_but_never_the_append_of_a_completed_one()
    {
        var spy = new TokenSpy();
        using ServiceProvider services = Services(log => log.AddBeforeAppendHook(spy));
        var store = services.GetRequiredService<InMemoryActivityLogRepo>();
        using var cts = new CancellationTokenSource();

        await services.GetRequiredService<ICreateTaskUseCase>().ExecuteAsync(Alice, new CreateTaskInput("t"), cts.Token);
        Assert.NotEqual(cts.Token, spy.Seen); // the append is bounded by AppendTimeout, not by the caller
        Assert.True(spy.Seen.CanBeCanceled);

        // Cancelled before the call: the use case does not run, nothing changes, nothing is appended.
        var direct = new TaskCommands(services.GetRequiredService<IActivityLogRepo>());
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => direct.CompleteAsync(Alice, Guid.NewGuid(), cts.Token));
        Assert.Equal(0, direct.Completed);
        Assert.Single(store.Records);
    }

    [Fact]
    public async Task A_use_case_that_cancels_its_callers_token_as_it_returns_still_gets_its_record_through_DI_and_direct_calls()
    {
        using ServiceProvider services = Services(log => log.AddBeforeAppendHook(new CancellationCheck()));
        var store = services.GetRequiredService<InMemoryActivityLogRepo>();

        // The request is aborted exactly between the use case's return and the append.
        using var viaDi = new CancellationTokenSource();
        var archive = new ArchiveTaskUseCase(services.GetRequiredService<IActivityLogRepo>(), viaDi);
        var decorated = new ServiceCollection().AddActivityLog(l => l.UseInMemory(store).AddBeforeAppendHook(new CancellationCheck()))
            .AddSingleton(viaDi).AddSingleton<IArchiveTaskUseCase, ArchiveTaskUseCase>().AddLoggedUseCases()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }).GetRequiredService<IArchiveTaskUseCase>();
        Guid first = Guid.NewGuid();
        await decorated.ArchiveAsync(Alice, first, viaDi.Token);

        using var direct = new CancellationTokenSource();
        var directUseCase = new ArchiveTaskUseCase(services.GetRequiredService<IActivityLogRepo>(), direct);
        Guid second = Guid.NewGuid();
        await directUseCase.ArchiveAsync(Alice, second, direct.Token);

        Assert.True(viaDi.IsCancellationRequested && direct.IsCancellationRequested);
        Assert.Equal([first.ToString("D"), second.ToString("D")], store.Records.Select(r => r.EntityRef.EntityId));
        Assert.All(store.Records, r => Assert.Equal("archive_task", r.Action));
        Assert.Equal(1, directUseCase.Archived);
    }

    [Fact]
    public async Task An_append_that_outlives_its_timeout_is_an_error_that_says_the_change_stands_unrecorded()
    {
        using ServiceProvider services = Services(log => log
            .UseStore(new StuckStore())
            .Configure(o => o.AppendTimeout = TimeSpan.FromMilliseconds(50)));
        var useCase = new TaskCommands(services.GetRequiredService<IActivityLogRepo>());

        var ex = await Assert.ThrowsAsync<ActivityNotRecordedException>(() => useCase.CompleteAsync(Alice, Guid.NewGuid()));

        Assert.True(ex.ChangeCommitted); // a store in another "database": the change was made first
        Assert.Equal("complete_task", ex.Action);
        Assert.Contains("append timeout", ex.Message);
        Assert.Contains("stands without its record", ex.Message);
        Assert.Equal(1, useCase.Completed);
    }

    [Fact]
    public async Task An_append_that_has_to_wait_arms_its_timeout_and_still_records_when_the_caller_cancels_after_the_return()
    {
        var store = new InMemoryActivityLogRepo();
        using ServiceProvider services = Services(log => log.UseStore(new SlowStore(store)).AddBeforeAppendHook(new CancellationCheck()));

        // The store answers asynchronously, so the timeout's timer is armed while the caller's token is cancelled.
        using var caller = new CancellationTokenSource();
        var useCase = new ArchiveTaskUseCase(services.GetRequiredService<IActivityLogRepo>(), caller);
        Guid id = Guid.NewGuid();
        await useCase.ArchiveAsync(Alice, id, caller.Token);

        Assert.True(caller.IsCancellationRequested);
        Assert.Equal([id.ToString("D")], store.Records.Select(r => r.EntityRef.EntityId));
    }

    [Fact]
    public async Task A_timed_out_append_does_not_leave_a_cancelled_timeout_behind_for_the_next_append_on_the_thread()
    {
        using ServiceProvider stuck = Services(log => log.UseStore(new StuckStore()).Configure(o => o.AppendTimeout = TimeSpan.FromMilliseconds(20)));
        var store = new InMemoryActivityLogRepo();
        using ServiceProvider healthy = Services(log => log.UseStore(store).AddBeforeAppendHook(new CancellationCheck()));

        for (int round = 0; round < 3; round++)
        {
            await Assert.ThrowsAsync<ActivityNotRecordedException>(() => new TaskCommands(stuck.GetRequiredService<IActivityLogRepo>()).CompleteAsync(Alice, Guid.NewGuid()));
            for (int i = 0; i < 20; i++)
            {
                await new TaskCommands(healthy.GetRequiredService<IActivityLogRepo>()).CompleteAsync(Alice, Guid.NewGuid());
            }
        }

        Assert.Equal(60, store.Records.Count);
    }

    /// <summary>Appends to a store after a yield: never completes synchronously, and honours the token like a real store.</summary>
    private sealed class SlowStore(InMemoryActivityLogRepo inner) : IActivityLogRepo
    {
        public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            return await inner.AppendAsync(record, cancellationToken);
        }

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);
    }

    /// <summary>Fails the append if it runs under a cancelled token, as a real store would.</summary>
    private sealed class CancellationCheck : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(BeforeAppendDecision.Continue);
        }
    }

    /// <summary>A store that never answers until cancelled.</summary>
    private sealed class StuckStore : IActivityLogRepo
    {
        public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new UnreachableException();
        }

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new ActivityPage([], null));
    }

    [Fact]
    public async Task Generic_handler_interface_with_ValueTask_of_T_and_sources_on_the_request()
    {
        var log = new InMemoryActivityLogRepo();
        var handler = new RenameProjectHandler(log);
        var request = new RenameProject(Guid.NewGuid(), Bob, "Apollo");

        Project direct = await handler.Handle(request, CancellationToken.None);
        Project viaInterface = await new ServiceCollection().AddActivityLog(l => l.UseInMemory(log)).AddLoggedUseCases().BuildServiceProvider()
            .GetRequiredService<IRequestHandler<RenameProject, Project>>().Handle(request, CancellationToken.None);

        Assert.Equal(direct, viaInterface);
        Assert.Equal(2, log.Records.Count);
        Assert.All(log.Records, r =>
        {
            Assert.Equal("rename_project", r.Action);
            Assert.Equal(Bob, r.ActorId);                       // [Actor] on a request property
            Assert.Equal(direct.OwnerId, r.OwnerId);            // result.OwnerId
            Assert.Equal(new EntityRef("RenameProject", request.ProjectId), r.EntityRef); // [EntityId] on a request property
            Assert.Equal("Apollo", r.Metadata["name"]);
        });
    }

    [Fact]
    public async Task Two_logged_methods_in_one_interface_and_forwarded_members()
    {
        using ServiceProvider services = Services();
        var commands = services.GetRequiredService<ITaskCommands>();
        Guid taskId = Guid.NewGuid();

        await commands.CompleteAsync(Alice, taskId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => commands.ReopenAsync(Alice, taskId));

        Assert.Equal(1, commands.Completed); // forwarded property
        ActivityRecord record = Assert.Single(services.GetRequiredService<InMemoryActivityLogRepo>().Records);
        Assert.Equal(("complete_task", new EntityRef("Task", taskId), Alice), (record.Action, record.EntityRef, record.OwnerId));
    }

    [Fact]
    public async Task The_actor_accessor_supplies_the_actor_and_no_actor_fails_before_the_use_case_runs()
    {
        using ServiceProvider services = Services(actor: Alice);
        var repo = services.GetRequiredService<ITaskRepository>();
        await repo.AddAsync(new TaskItem(Guid.NewGuid(), Bob, "x"));
        Guid taskId = repo.All[0].Id;

        await services.GetRequiredService<IDeleteTaskUseCase>().ExecuteAsync(new DeleteTask(taskId, Bob), CancellationToken.None);

        ActivityRecord record = Assert.Single(services.GetRequiredService<InMemoryActivityLogRepo>().Records);
        Assert.Equal((Alice, Bob, new EntityRef("Task", taskId)), (record.ActorId, record.OwnerId, record.EntityRef));

        var log = new InMemoryActivityLogRepo();
        var noActor = new DeleteTaskUseCase(repo, log, new FixedActor(null));
        await repo.AddAsync(new TaskItem(Guid.NewGuid(), Bob, "y"));
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => noActor.ExecuteAsync(new DeleteTask(repo.All[0].Id, Bob), CancellationToken.None).AsTask());
        Assert.Contains("No current actor", ex.Message);
        Assert.Single(repo.All); // the use case never ran
        Assert.Empty(log.Records);
    }

    [Fact]
    public void An_existing_registration_is_decorated_keeping_its_lifetime_and_registering_twice_changes_nothing()
    {
        var services = new ServiceCollection()
            .AddActivityLog()
            .AddSingleton<ITaskRepository, InMemoryTaskRepository>()
            .AddScoped<ICreateTaskUseCase, CreateTaskUseCase>();

        services.AddTaskUseCases().AddTaskUseCases();

        ServiceDescriptor descriptor = Assert.Single(services, d => d.ServiceType == typeof(ICreateTaskUseCase) && !d.IsKeyedService);
        Assert.Equal(ServiceLifetime.Scoped, descriptor.Lifetime);
        using ServiceProvider provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        using IServiceScope scope = provider.CreateScope();
        Assert.Same(scope.ServiceProvider.GetRequiredService<ICreateTaskUseCase>(), scope.ServiceProvider.GetRequiredService<ICreateTaskUseCase>());
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ICreateTaskUseCase>()); // scoped from root
    }

    [Fact]
    public void The_action_catalog_lists_the_actions_of_both_assemblies()
    {
        using ServiceProvider services = Services();

        IReadOnlyList<ActivityActionInfo> actions = services.GetRequiredService<ActivityActionCatalog>().Actions;

        Assert.Contains(new ActivityActionInfo("create_task", "TaskItem", "AuditGen.UseCases.CreateTaskUseCase", "ExecuteAsync"), actions);
        Assert.Contains(new ActivityActionInfo("delete_task", "Task", "AuditGen.UseCases.DeleteTaskUseCase", "ExecuteAsync"), actions);
        Assert.Contains(new ActivityActionInfo("rename_project", "RenameProject", "AuditGen.Generated.Tests.RenameProjectHandler", "Handle"), actions);
        Assert.Equal(actions.Count, actions.Distinct().Count());
        Assert.Equal(22, actions.Count); // create, delete, rename, complete, reopen, archive; five of ContributorHandlers; issue_invoice; eight of IdShapes; two consumers
    }
}

/// <summary>Integer and strongly typed ids, wrapped results, request-carried ids and overloads, through DI and direct calls.</summary>
public class RealCodebaseShapeTests
{
    private static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");

    public static TheoryData<bool> Paths => new() { true, false };

    private static (IContributorHandlers Handlers, ContributorHandlers Concrete, InMemoryActivityLogRepo Log) Create(bool throughDi)
    {
        var log = new InMemoryActivityLogRepo();
        var concrete = new ContributorHandlers(log);
        if (!throughDi)
        {
            return (new Direct(concrete), concrete, log);
        }

        IContributorHandlers decorated = new ServiceCollection()
            .AddActivityLog(l => l.UseInMemory(log))
            .AddSingleton<IContributorHandlers>(concrete)
            .AddLoggedUseCases()
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true })
            .GetRequiredService<IContributorHandlers>();
        Assert.NotSame(concrete, decorated);
        return (decorated, concrete, log);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Integer_strongly_typed_and_request_carried_ids_are_recorded_as_invariant_strings(bool throughDi)
    {
        (IContributorHandlers handlers, _, InMemoryActivityLogRepo log) = Create(throughDi);

        int created = await handlers.CreateAsync(Alice, "Ada");
        await handlers.RenameAsync(Alice, 7, "Grace");
        await handlers.DeleteAsync(Alice, new DeleteContributor(new ContributorId(-12)));

        Assert.Equal(
            [("create_contributor", new EntityRef("Contributor", "2147483647")), ("rename_contributor", new EntityRef("Contributor", "7")),
             ("delete_contributor", new EntityRef("Contributor", "-12"))],
            log.Records.Select(r => (r.Action, r.EntityRef)));
        Assert.Equal(int.MaxValue, created);
        Assert.Equal(Guid.Parse("00000000-0000-4000-8000-0000000000aa"), log.Records[1].OwnerId); // result.Value.OwnerId
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task A_failed_result_records_nothing_and_is_returned_unchanged(bool throughDi)
    {
        (IContributorHandlers handlers, ContributorHandlers concrete, InMemoryActivityLogRepo log) = Create(throughDi);

        Result<Contributor> failed = await handlers.RenameAsync(Alice, 7, "");
        Result<Contributor> succeeded = await handlers.RenameAsync(Alice, 8, "Grace");

        Assert.False(failed.IsSuccess);
        Assert.True(succeeded.IsSuccess);
        Assert.Equal(2, concrete.Renames);
        Assert.Equal("8", Assert.Single(log.Records).EntityRef.EntityId);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Each_logged_overload_records_its_own_action(bool throughDi)
    {
        (IContributorHandlers handlers, _, InMemoryActivityLogRepo log) = Create(throughDi);

        await handlers.ArchiveAsync(Alice, ulong.MaxValue);
        await handlers.ArchiveAsync(Alice, 3, "duplicate");

        Assert.Equal(["archive_contributor", "archive_contributor_because"], log.Records.Select(r => r.Action));
        Assert.Equal("18446744073709551615", log.Records[0].EntityRef.EntityId);
        Assert.Equal("duplicate", log.Records[1].Metadata["reason"]);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task Every_integer_width_and_class_or_string_wrapped_ids_through_DI_and_direct_calls(bool throughDi)
    {
        var log = new InMemoryActivityLogRepo();
        var concrete = new IdShapes(log);
        IIdShapes shapes = throughDi
            ? new ServiceCollection().AddActivityLog(l => l.UseInMemory(log)).AddSingleton<IIdShapes>(concrete).AddLoggedUseCases()
                .BuildServiceProvider().GetRequiredService<IIdShapes>()
            : new DirectIdShapes(concrete);

        await shapes.PlaceAsync(Alice);
        await shapes.ShortAsync(Alice, short.MinValue);
        await shapes.ByteAsync(Alice, byte.MaxValue);
        await shapes.SignedByteAsync(Alice, sbyte.MinValue);
        await shapes.UShortAsync(Alice, ushort.MaxValue);
        await shapes.UIntAsync(Alice, uint.MaxValue);
        await shapes.LongAsync(Alice, long.MinValue);
        await shapes.SkuAsync(Alice, new Sku("SKU-42"));

        Assert.Equal(
            ["Order#9000000000", "Thing#-32768", "Thing#255", "Thing#-128", "Thing#65535", "Thing#4294967295",
             "Thing#-9223372036854775808", "Product#SKU-42"],
            log.Records.Select(r => r.EntityRef.ToString()));
    }

    private sealed class DirectIdShapes(IdShapes shapes) : IIdShapes
    {
        public Task<OrderNumber> PlaceAsync(Guid actorId) => shapes.PlaceAsync(actorId);

        public Task ShortAsync(Guid actorId, short id) => shapes.ShortAsync(actorId, id);

        public Task ByteAsync(Guid actorId, byte id) => shapes.ByteAsync(actorId, id);

        public Task SignedByteAsync(Guid actorId, sbyte id) => shapes.SignedByteAsync(actorId, id);

        public Task UShortAsync(Guid actorId, ushort id) => shapes.UShortAsync(actorId, id);

        public Task UIntAsync(Guid actorId, uint id) => shapes.UIntAsync(actorId, id);

        public Task LongAsync(Guid actorId, long id) => shapes.LongAsync(actorId, id);

        public Task SkuAsync(Guid actorId, Sku skuId) => shapes.SkuAsync(actorId, skuId);
    }

    [Fact]
    public async Task A_teams_own_result_type_declared_with_ActivityResultShape_is_unwrapped_through_DI_and_direct_calls()
    {
        var log = new InMemoryActivityLogRepo();
        var direct = new InvoiceHandlers(log);
        IInvoiceHandlers decorated = new ServiceCollection().AddActivityLog(l => l.UseInMemory(log)).AddSingleton<IInvoiceHandlers>(direct)
            .AddLoggedUseCases().BuildServiceProvider().GetRequiredService<IInvoiceHandlers>();

        Assert.False((await direct.IssueAsync(Alice, 0)).Succeeded);     // failed: nothing recorded
        Assert.False((await decorated.IssueAsync(Alice, -5)).Succeeded);
        Assert.Equal(1001, (await direct.IssueAsync(Alice, 10)).Data);
        await decorated.IssueAsync(Alice, 20);

        Assert.Equal(2, log.Records.Count);
        Assert.All(log.Records, r => Assert.Equal(new EntityRef("Invoice", "1001"), r.EntityRef));
    }

    /// <summary>Calls the concrete type, so the generated interceptors run (not the decorator).</summary>
    private sealed class Direct(ContributorHandlers handlers) : IContributorHandlers
    {
        public Task<int> CreateAsync(Guid actorId, string name, CancellationToken cancellationToken = default) => handlers.CreateAsync(actorId, name, cancellationToken);

        public Task<Result<Contributor>> RenameAsync(Guid actorId, int id, string name, CancellationToken cancellationToken = default) =>
            handlers.RenameAsync(actorId, id, name, cancellationToken);

        public Task DeleteAsync(Guid actorId, DeleteContributor request, CancellationToken cancellationToken = default) =>
            handlers.DeleteAsync(actorId, request, cancellationToken);

        public Task ArchiveAsync(Guid actorId, ulong id) => handlers.ArchiveAsync(actorId, id);

        public Task ArchiveAsync(Guid actorId, ulong id, string reason) => handlers.ArchiveAsync(actorId, id, reason);
    }
}
