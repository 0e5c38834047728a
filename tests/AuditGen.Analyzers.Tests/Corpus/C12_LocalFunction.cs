// expects: AUD1001
namespace Corpus;

public sealed class CloseTaskUseCase(ITaskRepository repo)
{
    public async Task ExecuteAsync(TaskItem task) // expect: AUD1001
    {
        await Close();

        Task Close() => repo.UpdateAsync(task);
    }
}
