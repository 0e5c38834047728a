// expects: nothing
namespace Corpus;

public sealed record CreateProject(Guid Owner, string Name);

public sealed class ProjectCreator(IProjectStore store) : IRequestHandler<CreateProject, Project>
{
    [LogsActivity("create_project")]
    public async Task<Project> Handle([Actor] CreateProject request, CancellationToken cancellationToken)
    {
        var project = new Project(Guid.NewGuid(), request.Owner, request.Name);
        await store.SaveAsync(project);
        return project;
    }
}
