// expects: AUD1001
namespace Corpus;

public sealed class RenameTaskUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(TaskItem task, string title) => Save(task with { Title = title }); // expect: AUD1001

    private Task Save(TaskItem task) => repo.UpdateAsync(task);
}
