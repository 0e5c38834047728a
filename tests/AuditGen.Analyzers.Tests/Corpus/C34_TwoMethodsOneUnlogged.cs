// expects: AUD1001
namespace Corpus;

public sealed class TaskCommandHandler(ITaskRepository repo)
{
    [LogsActivity("complete_task", EntityType = "Task")]
    public Task CompleteAsync(Guid actorId, [EntityId] Guid id) => repo.DeleteAsync(id);

    public Task ReopenAsync(TaskItem task) => repo.UpdateAsync(task); // expect: AUD1001
}
