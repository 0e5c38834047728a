// expects: nothing
namespace Corpus;

public sealed class LoadTaskUseCase(AppDb db)
{
    public TaskItem? Execute(Guid id) => db.Tasks.Find(id);
}
