// expects: AUD1001
namespace Corpus;

public sealed class CompleteTaskHandler(ITaskRepository repo)
{
    public Task Handle(TaskItem task) => repo.UpdateAsync(task); // expect: AUD1001
}
