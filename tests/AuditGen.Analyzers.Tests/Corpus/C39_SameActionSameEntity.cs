// expects: nothing
namespace Corpus;

public sealed class CreateTaskUseCase(ITaskRepository repo)
{
    [LogsActivity("create_task", EntityType = "Task")]
    public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.AddAsync(new TaskItem(id, actorId, ""));
}

public sealed class QuickCreateTaskUseCase(ITaskRepository repo)
{
    [LogsActivity("create_task", EntityType = "Task")]
    public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.AddAsync(new TaskItem(id, actorId, "quick"));
}
