// expects: nothing
// Reads on the same repositories: GetByIdAsync, ListAsync, CountAsync, AnyAsync.
namespace Corpus.C53;

public readonly record struct ContributorId(int Value);
public sealed class Contributor { public ContributorId Id { get; set; } public string Name { get; set; } = ""; }
public interface IRepositoryBase<T> where T : class
{
    Task<T> AddAsync(T entity, CancellationToken cancellationToken = default);
    Task<T?> GetByIdAsync<TId>(TId id, CancellationToken cancellationToken = default) where TId : notnull;
    Task<List<T>> ListAsync(CancellationToken cancellationToken = default);
    Task<int> CountAsync(CancellationToken cancellationToken = default);
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
}
public interface IReadRepository<T> : IRepositoryBase<T> where T : class { }

public sealed class GetContributorHandler(IReadRepository<Contributor> repository)
{
    public Task<Contributor?> Handle(ContributorId id, CancellationToken cancellationToken) => repository.GetByIdAsync(id, cancellationToken);
}

public sealed class ListContributorsHandler(IReadRepository<Contributor> repository)
{
    public async Task<(List<Contributor> Items, int Count, bool Any)> Handle(CancellationToken cancellationToken) =>
        (await repository.ListAsync(cancellationToken), await repository.CountAsync(cancellationToken), await repository.AnyAsync(cancellationToken));
}
