// expects: AUD1001
// Update by setting properties of a loaded entity, then SaveChangesAsync on the application's interface.
using Microsoft.EntityFrameworkCore;

namespace Corpus.C49;

public sealed class TodoItem { public int Id { get; set; } public string? Title { get; set; } public bool Done { get; set; } }
public interface IApplicationDbContext { DbSet<TodoItem> TodoItems { get; } Task<int> SaveChangesAsync(CancellationToken cancellationToken); }
public sealed record UpdateTodoItemCommand(int Id, string? Title, bool Done);

public sealed class UpdateTodoItemCommandHandler(IApplicationDbContext context)
{
    public async Task Handle(UpdateTodoItemCommand request, CancellationToken cancellationToken) // expect: AUD1001
    {
        TodoItem entity = context.TodoItems.Find(request.Id) ?? throw new KeyNotFoundException();
        entity.Title = request.Title;
        entity.Done = request.Done;
        await context.SaveChangesAsync(cancellationToken);
    }
}
