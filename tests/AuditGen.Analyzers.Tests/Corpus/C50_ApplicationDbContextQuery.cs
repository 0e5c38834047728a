// expects: nothing
// A query handler: reads through the same interface never count.
using Microsoft.EntityFrameworkCore;

namespace Corpus.C50;

public sealed class TodoItem { public int Id { get; set; } public int ListId { get; set; } public string? Title { get; set; } }
public interface IApplicationDbContext { DbSet<TodoItem> TodoItems { get; } Task<int> SaveChangesAsync(CancellationToken cancellationToken); }
public sealed record GetTodoItemsQuery(int ListId);

public sealed class GetTodoItemsQueryHandler(IApplicationDbContext context)
{
    public Task<List<string?>> Handle(GetTodoItemsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(context.TodoItems.Where(t => t.ListId == request.ListId).OrderBy(t => t.Title).Select(t => t.Title).ToList());
}
