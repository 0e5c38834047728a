// expects: AUD1001
namespace Corpus;

public sealed class ImportTasksUseCase(ITaskRepository repo)
{
    public async Task ExecuteAsync(IReadOnlyList<TaskItem> tasks) // expect: AUD1001
    {
        foreach (TaskItem task in tasks)
        {
            await Import(task);
        }
    }

    private Task Import(TaskItem task) => repo.AddAsync(task);
}
