// expects: nothing
namespace Corpus;

public sealed class CreateTaskUseCase(ITaskRepository repo)
{
    [LogsActivity("create_task", EntityType = "Task")]
    public async Task<TaskItem> ExecuteAsync(Guid actorId, string title)
    {
        var task = new TaskItem(Guid.NewGuid(), actorId, title);
        await repo.AddAsync(task);
        return task;
    }
}
