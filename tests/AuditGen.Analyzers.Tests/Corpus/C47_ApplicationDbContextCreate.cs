// expects: AUD1001
// A MediatR-style command handler over the application's own IApplicationDbContext, with an int id (clean-architecture template).
using Microsoft.EntityFrameworkCore;

namespace Corpus.C47;

public sealed class TodoItem { public int Id { get; set; } public int ListId { get; set; } public string? Title { get; set; } public bool Done { get; set; } }
public interface IApplicationDbContext { DbSet<TodoItem> TodoItems { get; } Task<int> SaveChangesAsync(CancellationToken cancellationToken); }
public sealed record CreateTodoItemCommand(int ListId, string? Title);

public sealed class CreateTodoItemCommandHandler(IApplicationDbContext context)
{
    public async Task<int> Handle(CreateTodoItemCommand request, CancellationToken cancellationToken) // expect: AUD1001
    {
        var entity = new TodoItem { ListId = request.ListId, Title = request.Title };
        context.TodoItems.Add(entity);
        await context.SaveChangesAsync(cancellationToken);
        return entity.Id;
    }
}
