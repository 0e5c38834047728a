// expects: nothing
// A service whose name sounds like a write but only reads, and a service that is logged itself: no false alarm.
namespace Corpus.C57;

public sealed class Contributor { public int Id { get; set; } public string Name { get; set; } = ""; }
public interface IRepositoryBase<T> where T : class { Task<T?> GetByIdAsync(int id, CancellationToken cancellationToken = default); Task<T> AddAsync(T entity, CancellationToken cancellationToken = default); }
public interface IRepository<T> : IRepositoryBase<T> where T : class { }
public interface IUpdateContributorService { Task<string?> UpdatePreview(int contributorId); Task<Contributor> Create(Guid actorId, string name); }

public sealed class UpdateContributorService(IRepository<Contributor> repository) : IUpdateContributorService
{
    public async Task<string?> UpdatePreview(int contributorId) => (await repository.GetByIdAsync(contributorId))?.Name;

    [LogsActivity("create_contributor", EntityType = "Contributor")]
    public Task<Contributor> Create(Guid actorId, string name) => repository.AddAsync(new Contributor { Name = name });
}

public sealed class PreviewContributorHandler(IUpdateContributorService service)
{
    public Task<string?> Handle(int contributorId) => service.UpdatePreview(contributorId);

    public Task<Contributor> CreateAsync(Guid actorId, string name) => service.Create(actorId, name);
}
