using AuditGen;

namespace TaskBoard;

public sealed record TaskItem(Guid Id, Guid OwnerId, string Title, bool Done = false);

public sealed record CreateTaskInput(string Title);

public interface ITaskRepository
{
    ValueTask AddAsync(TaskItem task, CancellationToken cancellationToken = default);

    ValueTask UpdateAsync(TaskItem task, CancellationToken cancellationToken = default);

    ValueTask<TaskItem?> GetAsync(Guid id, CancellationToken cancellationToken = default);
}

public sealed class InMemoryTaskRepository : ITaskRepository
{
    private readonly Dictionary<Guid, TaskItem> _tasks = [];

    public ValueTask AddAsync(TaskItem task, CancellationToken cancellationToken = default)
    {
        _tasks.Add(task.Id, task);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateAsync(TaskItem task, CancellationToken cancellationToken = default)
    {
        _tasks[task.Id] = task;
        return ValueTask.CompletedTask;
    }

    public ValueTask<TaskItem?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_tasks.GetValueOrDefault(id));
}

/// <summary>The seed's use case. Until the source generator lands, it appends its record by hand.</summary>
public sealed class CreateTaskUseCase(ITaskRepository repo, IActivityLogRepo log)
{
    public async Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default)
    {
        var task = new TaskItem(Guid.CreateVersion7(), OwnerId: actorId, input.Title);
        await repo.AddAsync(task, cancellationToken);

        await log.AppendAsync(ActivityRecord.Create(
            actorId: actorId,
            ownerId: task.OwnerId,
            action: "create_task",
            entityRef: new EntityRef("Task", task.Id),
            metadata: new Dictionary<string, object?> { ["title"] = task.Title }), cancellationToken);
        return task;
    }
}

public sealed class UpdateTaskUseCase(ITaskRepository repo, IActivityLogRepo log)
{
    public async Task<TaskItem> ExecuteAsync(Guid actorId, Guid taskId, string title, CancellationToken cancellationToken = default)
    {
        TaskItem task = await repo.GetAsync(taskId, cancellationToken) ?? throw new KeyNotFoundException($"Task {taskId} not found.");
        task = task with { Title = title };
        await repo.UpdateAsync(task, cancellationToken);
        await log.AppendAsync(ActivityRecord.Create(actorId, task.OwnerId, "update_task", new EntityRef("Task", task.Id),
            new Dictionary<string, object?> { ["title"] = title }), cancellationToken);
        return task;
    }
}

public sealed class CompleteTaskUseCase(ITaskRepository repo, IActivityLogRepo log)
{
    public async Task<TaskItem> ExecuteAsync(Guid actorId, Guid taskId, CancellationToken cancellationToken = default)
    {
        TaskItem task = await repo.GetAsync(taskId, cancellationToken) ?? throw new KeyNotFoundException($"Task {taskId} not found.");
        task = task with { Done = true };
        await repo.UpdateAsync(task, cancellationToken);
        await log.AppendAsync(ActivityRecord.Create(actorId, task.OwnerId, "complete_task", new EntityRef("Task", task.Id)), cancellationToken);
        return task;
    }
}
