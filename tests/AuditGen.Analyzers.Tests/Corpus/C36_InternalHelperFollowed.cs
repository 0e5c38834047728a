// expects: AUD1001, AUD1001
namespace Corpus;

public sealed class SyncTasksUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(TaskItem task) => Apply(task); // expect: AUD1001

    internal Task Apply(TaskItem task) => repo.UpdateAsync(task); // expect: AUD1001
}
