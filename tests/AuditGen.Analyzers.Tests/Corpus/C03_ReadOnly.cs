// expects: nothing
namespace Corpus;

public sealed class ListTasksUseCase(ITaskRepository repo)
{
    public Task<IReadOnlyList<TaskItem>> ExecuteAsync(Guid ownerId) => repo.ListAsync(ownerId);
}
