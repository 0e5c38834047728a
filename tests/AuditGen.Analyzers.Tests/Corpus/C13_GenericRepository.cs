// expects: AUD1001
namespace Corpus;

public sealed class AddProjectUseCase(IRepository<Project> projects)
{
    public Task ExecuteAsync(Project project) => projects.AddAsync(project); // expect: AUD1001
}
