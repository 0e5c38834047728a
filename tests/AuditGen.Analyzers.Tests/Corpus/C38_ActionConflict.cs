// expects: AUD1004
namespace Corpus;

public sealed class CreateTaskUseCase(ITaskRepository repo)
{
    [LogsActivity("create", EntityType = "Task")]
    public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.AddAsync(new TaskItem(id, actorId, ""));
}

public sealed class CreateProjectUseCase(IProjectStore store)
{
    [LogsActivity("create", EntityType = "Project")] // expect: AUD1004
    public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => store.SaveAsync(new Project(id, actorId, ""));
}
