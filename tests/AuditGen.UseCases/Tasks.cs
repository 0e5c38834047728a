using AuditGen;

[assembly: LoggedUseCasesRegistration("AddTaskUseCases")]

namespace AuditGen.UseCases;

public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);

public sealed record CreateTaskInput([property: ActivityMetadata] string Title, int Priority = 0);

[Mutation]
public interface ITaskRepository
{
    ValueTask AddAsync(TaskItem task, CancellationToken cancellationToken = default);

    ValueTask RemoveAsync(Guid id, CancellationToken cancellationToken = default);

    IReadOnlyList<TaskItem> All { get; }
}

public sealed class InMemoryTaskRepository : ITaskRepository
{
    private readonly List<TaskItem> _tasks = [];

    public IReadOnlyList<TaskItem> All => _tasks;

    public ValueTask AddAsync(TaskItem task, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _tasks.Add(task);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(Guid id, CancellationToken cancellationToken = default)
    {
        _tasks.RemoveAll(t => t.Id == id);
        return ValueTask.CompletedTask;
    }
}

public interface ICreateTaskUseCase
{
    Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default);
}

/// <summary>The seed's use case, without the hand-written append.</summary>
public sealed partial class CreateTaskUseCase(ITaskRepository repo, IActivityLogRepo log) : ICreateTaskUseCase
{
    [LogsActivity("create_task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(input.Title))
        {
            throw new ArgumentException("A task needs a title.", nameof(input));
        }

        var task = new TaskItem(Guid.CreateVersion7(), OwnerId: actorId, input.Title);
        await repo.AddAsync(task, cancellationToken);
        return task;
    }
}

public sealed record DeleteTask([property: EntityId] Guid TaskId, [property: Owner] Guid OwnerId);

public interface IDeleteTaskUseCase
{
    ValueTask ExecuteAsync(DeleteTask command, CancellationToken cancellationToken);
}

/// <summary>No actor parameter: the actor comes from IActorAccessor.</summary>
[LogsActivity("delete_task", EntityType = "Task")]
public sealed partial class DeleteTaskUseCase(ITaskRepository repo, IActivityLogRepo log, IActorAccessor actors) : IDeleteTaskUseCase
{
    public async ValueTask ExecuteAsync(DeleteTask command, CancellationToken cancellationToken) =>
        await repo.RemoveAsync(command.TaskId, cancellationToken);
}
