[assembly: AuditGen.ActivityResultShape(typeof(AuditGen.Generated.Tests.OperationResult<>), SuccessProperty = "Succeeded", ValueProperty = "Data")]

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

// Shapes of real codebases: integer and strongly typed ids, results wrapped in a success/failure type, ids carried on
// the request, and logged overloads.

public readonly record struct ContributorId(int Value);

public sealed record Contributor(ContributorId Id, Guid OwnerId, string Name);

public sealed record DeleteContributor(ContributorId Id);

/// <summary>A hand-written Result&lt;T&gt; of the Ardalis.Result / FluentResults shape.</summary>
public sealed class Result<T>
{
    private readonly T? _value;

    private Result(bool isSuccess, T? value) => (IsSuccess, _value) = (isSuccess, value);

    public bool IsSuccess { get; }

    /// <summary>Throws on a failed result, as FluentResults does: the generated code must check first.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException("A failed result has no value.");

    public static Result<T> Success(T value) => new(true, value);

    public static Result<T> Failure() => new(false, default);
}

public interface IContributorHandlers
{
    Task<int> CreateAsync(Guid actorId, string name, CancellationToken cancellationToken = default);

    Task<Result<Contributor>> RenameAsync(Guid actorId, int id, string name, CancellationToken cancellationToken = default);

    Task DeleteAsync(Guid actorId, DeleteContributor request, CancellationToken cancellationToken = default);

    Task ArchiveAsync(Guid actorId, ulong id);

    Task ArchiveAsync(Guid actorId, ulong id, string reason);
}

public sealed partial class ContributorHandlers(IActivityLogRepo log) : IContributorHandlers
{
    public int Renames { get; private set; }

    [LogsActivity("create_contributor", EntityType = "Contributor")]
    public Task<int> CreateAsync(Guid actorId, [ActivityMetadata] string name, CancellationToken cancellationToken = default) => Task.FromResult(int.MaxValue);

    [LogsActivity("rename_contributor")]
    public Task<Result<Contributor>> RenameAsync(Guid actorId, int id, string name, CancellationToken cancellationToken = default)
    {
        Renames++;
        return Task.FromResult(name.Length == 0 ? Result<Contributor>.Failure() : Result<Contributor>.Success(new(new(id), Guid.Parse("00000000-0000-4000-8000-0000000000aa"), name)));
    }

    [LogsActivity("delete_contributor")]
    public Task DeleteAsync(Guid actorId, DeleteContributor request, CancellationToken cancellationToken = default) => Task.CompletedTask;

    [LogsActivity("archive_contributor", EntityType = "Contributor")]
    public Task ArchiveAsync(Guid actorId, ulong id) => Task.CompletedTask;

    [LogsActivity("archive_contributor_because", EntityType = "Contributor")]
    public Task ArchiveAsync(Guid actorId, ulong id, [ActivityMetadata] string reason) => Task.CompletedTask;
}

/// <summary>A team's own result type with other member names, declared to the generator with [assembly: ActivityResultShape].</summary>
public sealed class OperationResult<T>
{
    public bool Succeeded { get; init; }

    public T Data { get; init; } = default!;
}

public interface IInvoiceHandlers
{
    Task<OperationResult<long>> IssueAsync(Guid actorId, decimal amount);
}

public sealed partial class InvoiceHandlers(IActivityLogRepo log) : IInvoiceHandlers
{
    [LogsActivity("issue_invoice", EntityType = "Invoice")]
    public Task<OperationResult<long>> IssueAsync(Guid actorId, decimal amount) =>
        Task.FromResult(amount > 0 ? new OperationResult<long> { Succeeded = true, Data = 1001 } : new OperationResult<long>());
}

/// <summary>A class-based strongly typed id (as Vogen can generate), and one wrapping a string.</summary>
public sealed class OrderNumber(long value)
{
    public long Value { get; } = value;
}

public readonly record struct Sku(string Value);

public interface IIdShapes
{
    Task<OrderNumber> PlaceAsync(Guid actorId);

    Task ShortAsync(Guid actorId, short id);

    Task ByteAsync(Guid actorId, byte id);

    Task SignedByteAsync(Guid actorId, sbyte id);

    Task UShortAsync(Guid actorId, ushort id);

    Task UIntAsync(Guid actorId, uint id);

    Task LongAsync(Guid actorId, long id);

    Task SkuAsync(Guid actorId, Sku skuId);
}

public sealed partial class IdShapes(IActivityLogRepo log) : IIdShapes
{
    [LogsActivity("place", EntityType = "Order")] public Task<OrderNumber> PlaceAsync(Guid actorId) => Task.FromResult(new OrderNumber(9_000_000_000));

    [LogsActivity("short", EntityType = "Thing")] public Task ShortAsync(Guid actorId, short id) => Task.CompletedTask;

    [LogsActivity("byte", EntityType = "Thing")] public Task ByteAsync(Guid actorId, byte id) => Task.CompletedTask;

    [LogsActivity("sbyte", EntityType = "Thing")] public Task SignedByteAsync(Guid actorId, sbyte id) => Task.CompletedTask;

    [LogsActivity("ushort", EntityType = "Thing")] public Task UShortAsync(Guid actorId, ushort id) => Task.CompletedTask;

    [LogsActivity("uint", EntityType = "Thing")] public Task UIntAsync(Guid actorId, uint id) => Task.CompletedTask;

    [LogsActivity("long", EntityType = "Thing")] public Task LongAsync(Guid actorId, long id) => Task.CompletedTask;

    [LogsActivity("sku", EntityType = "Product")] public Task SkuAsync(Guid actorId, [EntityId] Sku skuId) => Task.CompletedTask;
}
