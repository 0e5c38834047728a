// expects: nothing
namespace Corpus;

public sealed class PurgeTasksUseCase(ITaskRepository repo)
{
    [NotLogged("retention job; audited by the scheduler")]
    public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
}
