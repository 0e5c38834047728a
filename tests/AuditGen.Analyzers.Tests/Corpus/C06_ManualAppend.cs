// expects: nothing
namespace Corpus;

public sealed class DeleteTaskUseCase(ITaskRepository repo, IActivityLogRepo log)
{
    public async Task ExecuteAsync(Guid actorId, Guid id)
    {
        await repo.DeleteAsync(id);
        await log.AppendAsync(ActivityRecord.Create(actorId, actorId, "delete_task", new EntityRef("Task", id)));
    }
}
