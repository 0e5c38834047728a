using System.Collections.Concurrent;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using Castle.DynamicProxy;

namespace AuditGen.Benchmarks;

public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);

public interface ICreateTask
{
    Task<TaskItem> ExecuteAsync(Guid actorId, string title, CancellationToken cancellationToken = default);
}

/// <summary>The seed's style: the use case appends its own record.</summary>
public sealed class HandWrittenCreateTask(IActivityLogRepo log) : ICreateTask
{
    public async Task<TaskItem> ExecuteAsync(Guid actorId, string title, CancellationToken cancellationToken = default)
    {
        var task = new TaskItem(Guid.CreateVersion7(), actorId, title);
        await log.AppendAsync(ActivityRecord.Create(actorId, task.OwnerId, "create_task", new EntityRef("Task", task.Id),
            new Dictionary<string, object?>(1) { ["title"] = title }), cancellationToken);
        return task;
    }
}

/// <summary>
/// The hand-written append with the generated code's guarantee: once the change is made, the caller's cancellation cannot
/// skip the record (the append gets no caller token), and only an append that has to wait is bounded by a timeout (a
/// <see cref="CancellationTokenSource"/> created then, as the generated path does; the in-memory log never waits).
/// </summary>
public sealed class HandWrittenUncancellableCreateTask(IActivityLogRepo log) : ICreateTask
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task<TaskItem> ExecuteAsync(Guid actorId, string title, CancellationToken cancellationToken = default)
    {
        var task = new TaskItem(Guid.CreateVersion7(), actorId, title);
        ValueTask<AppendResult> append = log.AppendAsync(ActivityRecord.Create(actorId, task.OwnerId, "create_task", new EntityRef("Task", task.Id),
            new Dictionary<string, object?>(1) { ["title"] = title }), CancellationToken.None);
        if (!append.IsCompleted)
        {
            await append.AsTask().WaitAsync(Timeout, CancellationToken.None);
        }
        else
        {
            await append;
        }

        return task;
    }
}

/// <summary>The same use case without the append: the generator (decorator or interceptor) or Castle adds it.</summary>
public sealed partial class CreateTask(IActivityLogRepo log) : ICreateTask
{
    [LogsActivity("create_task", EntityType = "Task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, [ActivityMetadata] string title, CancellationToken cancellationToken = default)
    {
        await Task.CompletedTask;
        return new TaskItem(Guid.CreateVersion7(), actorId, title);
    }
}

/// <summary>The seed's style again, for a use case returning <see cref="ValueTask{TResult}"/>.</summary>
public sealed class HandWrittenCreateTaskValueTask(IActivityLogRepo log)
{
    public async ValueTask<TaskItem> ExecuteAsync(Guid actorId, string title, CancellationToken cancellationToken = default)
    {
        var task = new TaskItem(Guid.CreateVersion7(), actorId, title);
        await log.AppendAsync(ActivityRecord.Create(actorId, task.OwnerId, "create_task", new EntityRef("Task", task.Id),
            new Dictionary<string, object?>(1) { ["title"] = title }), cancellationToken);
        return task;
    }
}

/// <summary>The generated path for a use case returning <see cref="ValueTask{TResult}"/>.</summary>
public sealed partial class CreateTaskValueTask(IActivityLogRepo log)
{
    [LogsActivity("create_task", EntityType = "Task")]
    public ValueTask<TaskItem> ExecuteAsync(Guid actorId, [ActivityMetadata] string title, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new TaskItem(Guid.CreateVersion7(), actorId, title));
}

/// <summary>
/// The runtime-proxy approach: a Castle DynamicProxy interceptor that finds [LogsActivity] and the record's sources by
/// reflection (cached per method), as audit libraries do today.
/// </summary>
public sealed class CastleAuditInterceptor(IActivityLogRepo log) : IInterceptor
{
    private sealed record Plan(string Action, string EntityType, int ActorIndex, int TitleIndex, int TokenIndex, PropertyInfo Id, PropertyInfo Owner);

    private static readonly ConcurrentDictionary<MethodInfo, Plan?> Plans = new();

    public void Intercept(IInvocation invocation)
    {
        invocation.Proceed();
        Plan? plan = Plans.GetOrAdd(invocation.MethodInvocationTarget ?? invocation.Method, static method =>
        {
            if (method.GetCustomAttribute<LogsActivityAttribute>() is not { } attribute)
            {
                return null;
            }

            ParameterInfo[] parameters = method.GetParameters();
            Type result = method.ReturnType.GetGenericArguments()[0];
            return new Plan(attribute.Action, attribute.EntityType ?? result.Name,
                Array.FindIndex(parameters, p => p.Name == "actorId"),
                Array.FindIndex(parameters, p => p.GetCustomAttribute<ActivityMetadataAttribute>() is not null),
                Array.FindIndex(parameters, p => p.ParameterType == typeof(CancellationToken)),
                result.GetProperty("Id")!, result.GetProperty("OwnerId")!);
        });
        if (plan is not null)
        {
            invocation.ReturnValue = AppendAfter((Task<TaskItem>)invocation.ReturnValue!, plan, invocation.Arguments);
        }
    }

    private async Task<TaskItem> AppendAfter(Task<TaskItem> call, Plan plan, object?[] arguments)
    {
        TaskItem result = await call.ConfigureAwait(false);
        var actor = (Guid)arguments[plan.ActorIndex]!;
        await log.AppendAsync(ActivityRecord.Create(actor, (Guid)plan.Owner.GetValue(result)!, plan.Action,
            new EntityRef(plan.EntityType, (Guid)plan.Id.GetValue(result)!),
            new Dictionary<string, object?>(1) { ["title"] = arguments[plan.TitleIndex] }),
            plan.TokenIndex >= 0 ? (CancellationToken)arguments[plan.TokenIndex]! : default).ConfigureAwait(false);
        return result;
    }
}

/// <summary>
/// One logged call per operation, into a fresh in-memory log each iteration: the seed's hand-written append, the generated
/// decorator (what DI hands out), the generated interceptor (a direct call), and a Castle DynamicProxy interceptor.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 12, invocationCount: 100_000)]
public class InterceptionBenchmarks
{
    private static readonly Guid Actor = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
    private static readonly ProxyGenerator Proxies = new();

    private InMemoryActivityLogRepo _log = null!;
    private HandWrittenCreateTask _handWritten = null!;
    private HandWrittenUncancellableCreateTask _handWrittenUncancellable = null!;
    private ICreateTask _decorator = null!;
    private CreateTask _intercepted = null!;
    private ICreateTask _castle = null!;
    private HandWrittenCreateTaskValueTask _handWrittenValueTask = null!;
    private CreateTaskValueTask _interceptedValueTask = null!;

    [GlobalSetup]
    public async Task CheckEachVariantLogsOnceAsync()
    {
        foreach (Func<InMemoryActivityLogRepo, Task<TaskItem>> variant in new Func<InMemoryActivityLogRepo, Task<TaskItem>>[]
        {
            log => new HandWrittenCreateTask(log).ExecuteAsync(Actor, "t"),
            log => new HandWrittenUncancellableCreateTask(log).ExecuteAsync(Actor, "t"),
            log => ((ICreateTask)new CreateTaskLoggingDecorator(new CreateTask(log), log)).ExecuteAsync(Actor, "t"),
            log => new CreateTask(log).ExecuteAsync(Actor, "t"),
            log => Proxies.CreateInterfaceProxyWithTarget<ICreateTask>(new CreateTask(log), new CastleAuditInterceptor(log)).ExecuteAsync(Actor, "t"),
        })
        {
            var log = new InMemoryActivityLogRepo();
            TaskItem task = await variant(log);
            if (log.Records is not [{ Action: "create_task" } record] || record.EntityRef.EntityId != task.Id.ToString() || (string?)record.Metadata["title"] != "t")
            {
                throw new InvalidOperationException("A variant did not log exactly one create_task record.");
            }
        }
    }

    [IterationSetup]
    public void Setup()
    {
        _log = new InMemoryActivityLogRepo();
        _handWritten = new HandWrittenCreateTask(_log);
        _handWrittenUncancellable = new HandWrittenUncancellableCreateTask(_log);
        _decorator = new CreateTaskLoggingDecorator(new CreateTask(_log), _log);
        _intercepted = new CreateTask(_log);
        _castle = Proxies.CreateInterfaceProxyWithTarget<ICreateTask>(new CreateTask(_log), new CastleAuditInterceptor(_log));
        _handWrittenValueTask = new HandWrittenCreateTaskValueTask(_log);
        _interceptedValueTask = new CreateTaskValueTask(_log);
    }

    [Benchmark(Baseline = true)]
    public Task<TaskItem> HandWrittenUncancellable() => _handWrittenUncancellable.ExecuteAsync(Actor, "Write docs");

    [Benchmark]
    public Task<TaskItem> HandWritten() => _handWritten.ExecuteAsync(Actor, "Write docs");

    [Benchmark]
    public Task<TaskItem> GeneratedDecorator() => _decorator.ExecuteAsync(Actor, "Write docs");

    [Benchmark]
    public Task<TaskItem> GeneratedInterceptor() => _intercepted.ExecuteAsync(Actor, "Write docs");

    [Benchmark]
    public Task<TaskItem> CastleDynamicProxy() => _castle.ExecuteAsync(Actor, "Write docs");

    [Benchmark]
    public ValueTask<TaskItem> HandWrittenValueTask() => _handWrittenValueTask.ExecuteAsync(Actor, "Write docs");

    [Benchmark]
    public ValueTask<TaskItem> GeneratedInterceptorValueTask() => _interceptedValueTask.ExecuteAsync(Actor, "Write docs");
}
