// expects: AUD1002
namespace Corpus;

public sealed class ViewTaskUseCase(ITaskRepository repo)
{
    [LogsActivity("view_task", EntityType = "Task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, Guid id) => (await repo.GetAsync(id))!; // expect: AUD1002
}
