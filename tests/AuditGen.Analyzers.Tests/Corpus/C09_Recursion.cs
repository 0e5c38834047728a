// expects: AUD1001
namespace Corpus;

public sealed class CascadeDeleteUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(Guid id, int depth) => Visit(id, depth); // expect: AUD1001

    private Task Visit(Guid id, int depth) => depth <= 0 ? repo.DeleteAsync(id) : Visit(id, depth - 1);
}
