// Shared declarations for the corpus files: compiled with each of them, never expected to produce diagnostics.
global using System;
global using System.Collections.Generic;
global using System.Linq;
global using System.Threading;
global using System.Threading.Tasks;
global using AuditGen;

namespace Corpus;

public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);
public sealed record Project(Guid Id, Guid OwnerId, string Name);

public interface ITaskRepository
{
    Task AddAsync(TaskItem task);
    Task UpdateAsync(TaskItem task);
    Task DeleteAsync(Guid id);
    Task<TaskItem?> GetAsync(Guid id);
    Task<IReadOnlyList<TaskItem>> ListAsync(Guid ownerId);
}

public interface IRepository<T>
{
    Task AddAsync(T item);
    Task RemoveAsync(T item);
    Task<T?> FindAsync(Guid id);
}

public interface IProjectStore
{
    Task SaveAsync(Project project);
    Task<Project?> LoadAsync(Guid id);
}

[Mutation]
public interface INotifier
{
    Task NotifyAsync(Guid user, string message);
}

public interface IClock { DateTimeOffset Now { get; } }

public interface IRequestHandler<in TRequest, TResponse>
{
    Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken);
}

public interface ICommandHandler<in TCommand>
{
    Task HandleAsync(TCommand command, CancellationToken cancellationToken);
}

public sealed class AppDb : Microsoft.EntityFrameworkCore.DbContext
{
    public Microsoft.EntityFrameworkCore.DbSet<TaskItem> Tasks { get; } = null!;
}
