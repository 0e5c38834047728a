// expects: AUD1001
// A one-line handler delegating to a domain service through its interface: judged by what the service does, not by its name.
namespace Corpus.C56;

public sealed class Contributor { public int Id { get; set; } }
public interface IRepositoryBase<T> where T : class { Task<int> DeleteAsync(T entity, CancellationToken cancellationToken = default); Task<T?> GetByIdAsync(int id, CancellationToken cancellationToken = default); }
public interface IRepository<T> : IRepositoryBase<T> where T : class { }
public interface IDeleteContributorService { Task DeleteContributor(int contributorId); }

public sealed class DeleteContributorService(IRepository<Contributor> repository) : IDeleteContributorService
{
    public async Task DeleteContributor(int contributorId)
    {
        if (await repository.GetByIdAsync(contributorId) is { } found)
        {
            await repository.DeleteAsync(found);
        }
    }
}

public sealed class DeleteContributorHandler(IDeleteContributorService service)
{
    public Task Handle(int contributorId, CancellationToken cancellationToken) => service.DeleteContributor(contributorId); // expect: AUD1001
}
