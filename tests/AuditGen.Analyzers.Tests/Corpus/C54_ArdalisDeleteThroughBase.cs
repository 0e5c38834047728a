// expects: AUD1001
// A delete through the base interface, after a read, returning a non-generic-looking Result.
namespace Corpus.C54;

public readonly record struct ContributorId(int Value);
public sealed class Contributor { public ContributorId Id { get; set; } }
public sealed class Result { public bool IsSuccess { get; init; } public static Result Success() => new() { IsSuccess = true }; public static Result NotFound() => new(); }
public interface IRepositoryBase<T> where T : class
{
    Task<int> DeleteAsync(T entity, CancellationToken cancellationToken = default);
    Task<T?> GetByIdAsync<TId>(TId id, CancellationToken cancellationToken = default) where TId : notnull;
}
public interface IRepository<T> : IRepositoryBase<T> where T : class { }
public sealed record DeleteContributorCommand(ContributorId ContributorId);

public sealed class DeleteContributorHandler(IRepository<Contributor> repository)
{
    public async Task<Result> Handle(DeleteContributorCommand request, CancellationToken cancellationToken) // expect: AUD1001
    {
        Contributor? found = await repository.GetByIdAsync(request.ContributorId, cancellationToken);
        if (found is null)
        {
            return Result.NotFound();
        }

        await repository.DeleteAsync(found, cancellationToken);
        return Result.Success();
    }
}
