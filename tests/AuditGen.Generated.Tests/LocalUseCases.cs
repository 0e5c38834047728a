using AuditGen;

namespace AuditGen.Generated.Tests;

public interface IRequestHandler<in TRequest, TResponse>
{
    ValueTask<TResponse> Handle(TRequest request, CancellationToken cancellationToken);
}

public sealed record RenameProject([property: EntityId] Guid ProjectId, [property: Actor] Guid By, [property: ActivityMetadata("name")] string NewName);

public sealed record Project(Guid Id, Guid OwnerId, string Name);

/// <summary>A MediatR-style handler: generic interface, ValueTask of T, sources on the request's properties.</summary>
public sealed partial class RenameProjectHandler(IActivityLogRepo log) : IRequestHandler<RenameProject, Project>
{
    public Guid Owner { get; set; } = Guid.Parse("00000000-0000-4000-8000-0000000000aa");

    [LogsActivity("rename_project")]
    public ValueTask<Project> Handle(RenameProject request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new Project(request.ProjectId, Owner, request.NewName));
}

public interface ITaskCommands
{
    Task CompleteAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default);

    Task ReopenAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default);

    int Completed { get; }
}

/// <summary>Two logged methods in one interface, and a member that is forwarded untouched.</summary>
public sealed partial class TaskCommands(IActivityLogRepo log) : ITaskCommands
{
    public int Completed { get; private set; }

    [LogsActivity("complete_task", EntityType = "Task")]
    public Task CompleteAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Completed++;
        return Task.CompletedTask;
    }

    [LogsActivity("reopen_task", EntityType = "Task")]
    public async Task ReopenAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        throw new InvalidOperationException("Task is not completed.");
    }
}

public interface IArchiveTaskUseCase
{
    Task ArchiveAsync(Guid actorId, Guid taskId, CancellationToken cancellationToken);
}

/// <summary>Cancels its caller's token as it returns: the request is aborted after the change, before the append.</summary>
public sealed partial class ArchiveTaskUseCase(IActivityLogRepo log, CancellationTokenSource caller) : IArchiveTaskUseCase
{
    public int Archived { get; private set; }

    [LogsActivity("archive_task", EntityType = "Task")]
    public async Task ArchiveAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Archived++;
        await caller.CancelAsync();
    }
}
