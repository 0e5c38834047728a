// expects: AUD1001
namespace Corpus;

public sealed class DeleteManyUseCase(ITaskRepository repo)
{
    public Task ExecuteAsync(IEnumerable<Guid> ids) => Task.WhenAll(ids.Select(id => repo.DeleteAsync(id))); // expect: AUD1001
}
