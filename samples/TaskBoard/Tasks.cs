using AuditGen;

namespace TaskBoard;

/// <summary>A task. Its title can name a person, so it is personal data of the task's owner: the activity log seals it.</summary>
public sealed record TaskItem(Guid Id, Guid OwnerId, [property: PersonalData] string Title, bool Done = false);

public sealed record CreateTaskInput([property: ActivityMetadata, PersonalData] string Title);

/// <summary>Every method changes state: the coverage analyzer expects callers to be logged.</summary>
[Mutation]
public interface ITaskRepository
{
    ValueTask AddAsync(TaskItem task, CancellationToken cancellationToken = default);

    ValueTask UpdateAsync(TaskItem task, CancellationToken cancellationToken = default);

    ValueTask DeleteAsync(Guid id, CancellationToken cancellationToken = default);
}

public interface ITaskQueries
{
    ValueTask<TaskItem> GetAsync(Guid id, CancellationToken cancellationToken = default);

    ValueTask<TaskItem?> FindAsync(Guid id, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<TaskItem>> ListByOwnerAsync(Guid ownerId, CancellationToken cancellationToken = default);
}

public interface ICreateTaskUseCase
{
    Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default);
}

/// <summary>The seed's use case. The generated code appends the create_task record after it returns.</summary>
public sealed partial class CreateTaskUseCase(ITaskRepository repo, IActivityLogRepo log) : ICreateTaskUseCase
{
    [LogsActivity("create_task", EntityType = "Task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default)
    {
        var task = new TaskItem(Guid.CreateVersion7(), OwnerId: actorId, input.Title);
        await repo.AddAsync(task, cancellationToken);
        return task;
    }
}

public interface IUpdateTaskUseCase
{
    Task<TaskItem> ExecuteAsync(Guid actorId, Guid taskId, string title, CancellationToken cancellationToken = default);
}

public sealed partial class UpdateTaskUseCase(ITaskRepository repo, ITaskQueries tasks, IActivityLogRepo log) : IUpdateTaskUseCase
{
    [LogsActivity("update_task", EntityType = "Task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, Guid taskId, [ActivityMetadata, PersonalData] string title, CancellationToken cancellationToken = default)
    {
        TaskItem task = await tasks.GetAsync(taskId, cancellationToken) with { Title = title };
        await repo.UpdateAsync(task, cancellationToken);
        return task;
    }
}

public interface ICompleteTaskUseCase
{
    Task<TaskItem> ExecuteAsync(Guid actorId, Guid taskId, CancellationToken cancellationToken = default);
}

public sealed partial class CompleteTaskUseCase(ITaskRepository repo, ITaskQueries tasks, IActivityLogRepo log) : ICompleteTaskUseCase
{
    [LogsActivity("complete_task", EntityType = "Task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, Guid taskId, CancellationToken cancellationToken = default)
    {
        TaskItem task = await tasks.GetAsync(taskId, cancellationToken) with { Done = true };
        await repo.UpdateAsync(task, cancellationToken);
        return task;
    }
}

public interface IDeleteTaskUseCase
{
    Task ExecuteAsync(Guid actorId, Guid taskId, CancellationToken cancellationToken = default);
}

public sealed partial class DeleteTaskUseCase(ITaskRepository repo, IActivityLogRepo log) : IDeleteTaskUseCase
{
    [LogsActivity("delete_task", EntityType = "Task")]
    public async Task ExecuteAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default) =>
        await repo.DeleteAsync(taskId, cancellationToken);
}
