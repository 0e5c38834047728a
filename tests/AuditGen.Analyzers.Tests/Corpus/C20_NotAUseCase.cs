// expects: nothing
namespace Corpus;

public sealed class TaskService(ITaskRepository repo)
{
    public Task DeleteAsync(Guid id) => repo.DeleteAsync(id);
}
