// expects: AUD1001
namespace Corpus;

public sealed class TouchTaskUseCase(ITaskRepository repo)
{
    public void Execute(TaskItem task) => _ = repo.UpdateAsync(task); // expect: AUD1001
}
