// expects: nothing
namespace Corpus;

[NotLogged("one-off data migration")]
public sealed class MigrateTasksUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(TaskItem task) => repo.UpdateAsync(task);
    public Task CleanupAsync(Guid id) => repo.DeleteAsync(id);
}
