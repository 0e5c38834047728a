// expects: AUD1001
namespace Corpus;

public sealed record CreateProject(Guid Owner, string Name);

public sealed class ProjectCreator(IProjectStore store) : IRequestHandler<CreateProject, Project>
{
    public async Task<Project> Handle(CreateProject request, CancellationToken cancellationToken) // expect: AUD1001
    {
        var project = new Project(Guid.NewGuid(), request.Owner, request.Name);
        await store.SaveAsync(project);
        return project;
    }
}
