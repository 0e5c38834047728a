// expects: nothing
// The same handler, logged: the id comes out of the Result<T> wrapper, a strongly typed id.
namespace Corpus.C52;

public readonly record struct ContributorId(int Value);
public sealed class Contributor(string name) { public ContributorId Id { get; set; } public string Name { get; set; } = name; }
public sealed class Result<T> { public bool IsSuccess { get; init; } public T Value { get; init; } = default!; public static Result<T> Success(T value) => new() { IsSuccess = true, Value = value }; }
public interface IRepositoryBase<T> where T : class { Task<T> AddAsync(T entity, CancellationToken cancellationToken = default); }
public interface IRepository<T> : IRepositoryBase<T> where T : class { }
public sealed record CreateContributorCommand(string Name);

public sealed class CreateContributorHandler(IRepository<Contributor> repository)
{
    [LogsActivity("create_contributor")]
    public async Task<Result<ContributorId>> Handle(CreateContributorCommand request, CancellationToken cancellationToken)
    {
        Contributor created = await repository.AddAsync(new Contributor(request.Name), cancellationToken);
        return Result<ContributorId>.Success(created.Id);
    }
}
