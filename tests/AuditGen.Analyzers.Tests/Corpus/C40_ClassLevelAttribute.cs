// expects: nothing
namespace Corpus;

[LogsActivity("delete_task", EntityType = "Task")]
public sealed class DeleteTaskUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.DeleteAsync(id);
}
