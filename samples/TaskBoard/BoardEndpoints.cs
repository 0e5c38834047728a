using AuditGen;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace TaskBoard;

public sealed record RenameTaskRequest([property: ActivityMetadata("title"), PersonalData] string Title);

/// <summary>
/// The same tasks as a minimal-API route group, written the way minimal APIs are written: a lambda and a static handler
/// straight on the DbContext. <c>[LogsActivity]</c> on the handler is all it takes — the generator intercepts the
/// <c>Map*</c> call and attaches its endpoint filter, which records after a success (nothing on NotFound or a validation
/// problem), in the request's transaction.
/// </summary>
public static class BoardEndpoints
{
    public static RouteGroupBuilder MapBoardEndpoints(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder board = app.MapGroup("/board/tasks").RequireAuthorization().WithTags("Board");

        board.MapPatch("/{id:guid}/title", [LogsActivity("rename_task", EntityType = "Task")] async Task<Results<Ok<TaskItem>, NotFound, ValidationProblem>> (
            Guid id, RenameTaskRequest request, IActorAccessor actor, TaskBoardDbContext db, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 200)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["title"] = ["title must be 1-200 characters, not blank."] });
            }

            if (await FindOwnAsync(db, id, actor, ct) is not { } task)
            {
                return TypedResults.NotFound();
            }

            db.Entry(task).State = EntityState.Detached;
            TaskItem renamed = task with { Title = request.Title.Trim() };
            db.Tasks.Update(renamed);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(renamed);
        });

        board.MapDelete("/{id:guid}", DeleteAsync);
        return board;
    }

    [LogsActivity("delete_task", EntityType = "Task")]
    public static async Task<Results<NoContent, NotFound>> DeleteAsync(Guid id, IActorAccessor actor, TaskBoardDbContext db, CancellationToken ct)
    {
        if (await FindOwnAsync(db, id, actor, ct) is not { } task)
        {
            return TypedResults.NotFound();
        }

        db.Tasks.Remove(task);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static Task<TaskItem?> FindOwnAsync(TaskBoardDbContext db, Guid id, IActorAccessor actor, CancellationToken ct) =>
        db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.OwnerId == actor.CurrentActorId, ct);
}
