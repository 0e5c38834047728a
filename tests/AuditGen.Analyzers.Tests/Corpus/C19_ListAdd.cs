// expects: nothing
namespace Corpus;

public sealed class CollectTitlesUseCase(ITaskRepository repo)
{
    public async Task<List<string>> ExecuteAsync(Guid owner)
    {
        var titles = new List<string>();
        foreach (TaskItem task in await repo.ListAsync(owner))
        {
            titles.Add(task.Title);
        }

        return titles;
    }
}
