// expects: AUD1001
namespace Corpus;

public static class Persistence
{
    public static Task Store(ITaskRepository repo, TaskItem task) => repo.AddAsync(task);
}

public sealed class IndirectUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(TaskItem task) => Persistence.Store(repo, task); // expect: AUD1001
}
