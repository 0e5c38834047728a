using System.ComponentModel.DataAnnotations;
using AuditGen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace TaskBoard;

public sealed record NewTaskRequest([Required, StringLength(200, MinimumLength = 1)][property: ActivityMetadata("title"), PersonalData] string Title);

/// <summary>
/// The same tasks as an API controller, written the way controllers are written: straight to the DbContext, no use-case
/// class. <c>[LogsActivity]</c> on an action is all it takes — the generated filter records the action after it succeeds,
/// in the request's transaction (nothing on a 4xx result or a body that does not validate).
/// </summary>
[ApiController]
[Authorize]
[Route("api/tasks")]
public sealed class TasksController(TaskBoardDbContext db, IActorAccessor actor) : ControllerBase
{
    private Guid Me => actor.CurrentActorId ?? throw new InvalidOperationException("No signed-in user; task routes require authorization.");

    [HttpGet("{id:guid}")]
    public async Task<ActionResult<TaskItem>> Get(Guid id, CancellationToken cancellationToken) =>
        await FindOwnAsync(id, cancellationToken) is { } task ? task : NotFound();

    [HttpPost]
    [LogsActivity("create_task", EntityType = "Task")]
    public async Task<ActionResult<TaskItem>> Create(NewTaskRequest request, CancellationToken cancellationToken)
    {
        var task = new TaskItem(Guid.CreateVersion7(), Me, request.Title.Trim());
        db.Tasks.Add(task);
        await db.SaveChangesAsync(cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = task.Id }, task);
    }

    [HttpPost("{id:guid}/reopen")]
    [LogsActivity("reopen_task", EntityType = "Task")]
    public async Task<ActionResult<TaskItem>> Reopen(Guid id, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(id, cancellationToken) is not { } task)
        {
            return NotFound();
        }

        db.Entry(task).State = EntityState.Detached;
        TaskItem reopened = task with { Done = false };
        db.Tasks.Update(reopened);
        await db.SaveChangesAsync(cancellationToken);
        return reopened;
    }

    /// <summary>A task the user owns, or null: other people's tasks are not found, not forbidden.</summary>
    private async Task<TaskItem?> FindOwnAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.OwnerId == Me, cancellationToken);
}
