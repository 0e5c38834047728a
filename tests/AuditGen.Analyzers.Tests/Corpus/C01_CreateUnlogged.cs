// expects: AUD1001
namespace Corpus;

public sealed class CreateTaskUseCase(ITaskRepository repo)
{
    public async Task<TaskItem> ExecuteAsync(Guid actorId, string title) // expect: AUD1001
    {
        var task = new TaskItem(Guid.NewGuid(), actorId, title);
        await repo.AddAsync(task);
        return task;
    }
}
