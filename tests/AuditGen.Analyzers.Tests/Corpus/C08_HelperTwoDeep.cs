// expects: AUD1001
namespace Corpus;

public sealed class ArchiveTaskUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(Guid id) => First(id); // expect: AUD1001

    private Task First(Guid id) => Second(id);

    private Task Second(Guid id) => repo.DeleteAsync(id);
}
