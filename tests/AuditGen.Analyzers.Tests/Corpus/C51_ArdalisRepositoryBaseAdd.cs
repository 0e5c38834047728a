// expects: AUD1001
// Ardalis.Specification style: IRepository<T> : IRepositoryBase<T>, the writes declared on the base; strongly typed ids; Result<T>.
namespace Corpus.C51;

public readonly record struct ContributorId(int Value);
public sealed class Contributor(string name) { public ContributorId Id { get; set; } public string Name { get; set; } = name; }
public sealed class Result<T> { public bool IsSuccess { get; init; } public T Value { get; init; } = default!; public static Result<T> Success(T value) => new() { IsSuccess = true, Value = value }; }
public interface IRepositoryBase<T> where T : class
{
    Task<T> AddAsync(T entity, CancellationToken cancellationToken = default);
    Task<int> UpdateAsync(T entity, CancellationToken cancellationToken = default);
    Task<int> DeleteAsync(T entity, CancellationToken cancellationToken = default);
    Task<T?> GetByIdAsync<TId>(TId id, CancellationToken cancellationToken = default) where TId : notnull;
    Task<List<T>> ListAsync(CancellationToken cancellationToken = default);
    Task<int> CountAsync(CancellationToken cancellationToken = default);
    Task<bool> AnyAsync(CancellationToken cancellationToken = default);
}
public interface IRepository<T> : IRepositoryBase<T> where T : class { }
public sealed record CreateContributorCommand(string Name);

public sealed class CreateContributorHandler(IRepository<Contributor> repository)
{
    public async Task<Result<ContributorId>> Handle(CreateContributorCommand request, CancellationToken cancellationToken) // expect: AUD1001
    {
        Contributor created = await repository.AddAsync(new Contributor(request.Name), cancellationToken);
        return Result<ContributorId>.Success(created.Id);
    }
}
