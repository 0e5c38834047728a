// expects: nothing
namespace Corpus;

public sealed class FindProjectUseCase(IRepository<Project> projects)
{
    public Task<Project?> ExecuteAsync(Guid id) => projects.FindAsync(id);
}
