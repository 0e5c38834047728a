// expects: nothing
// The same handler, logged: an int id returned directly is the entity id.
using Microsoft.EntityFrameworkCore;

namespace Corpus.C48;

public sealed class TodoItem { public int Id { get; set; } public int ListId { get; set; } public string? Title { get; set; } }
public interface IApplicationDbContext { DbSet<TodoItem> TodoItems { get; } Task<int> SaveChangesAsync(CancellationToken cancellationToken); }
public sealed record CreateTodoItemCommand(int ListId, string? Title);

public sealed class CreateTodoItemCommandHandler(IApplicationDbContext context)
{
    [LogsActivity("create_todo_item", EntityType = "TodoItem")]
    public async Task<int> Handle(CreateTodoItemCommand request, CancellationToken cancellationToken)
    {
        var entity = new TodoItem { ListId = request.ListId, Title = request.Title };
        context.TodoItems.Add(entity);
        await context.SaveChangesAsync(cancellationToken);
        return entity.Id;
    }
}
