using AuditGen;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace TaskBoard.Pages.Board;

/// <summary>
/// The same rename as a Razor Page (<c>/Board/Rename/{id}</c>), written the way pages are written: a form, a handler on
/// the DbContext. <c>[LogsActivity]</c> on the handler is all it takes — the generated page filter, registered by
/// <c>AddLoggedUseCases()</c>, records after the handler succeeds (nothing when the form does not validate or the task is
/// not the user's), in the request's transaction.
/// </summary>
[Authorize]
public sealed class RenameModel(TaskBoardDbContext db, IActorAccessor actor) : PageModel
{
    public string Title { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await FindOwnAsync(id, cancellationToken) is not { } task)
        {
            return NotFound();
        }

        Title = task.Title;
        return Page();
    }

    [LogsActivity("rename_task", EntityType = "Task")]
    public async Task<IActionResult> OnPostAsync(Guid id, [ActivityMetadata, PersonalData] string? title, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(title) || title.Length > 200)
        {
            ModelState.AddModelError(nameof(Title), "The title must be 1-200 characters, not blank.");
            Title = title ?? "";
            return Page(); // the form again, with the message: invalid model state, so nothing is recorded
        }

        if (await FindOwnAsync(id, cancellationToken) is not { } task)
        {
            return NotFound();
        }

        db.Entry(task).State = EntityState.Detached;
        db.Tasks.Update(task with { Title = title.Trim() });
        await db.SaveChangesAsync(cancellationToken);
        return RedirectToPage(new { id });
    }

    private Task<TaskItem?> FindOwnAsync(Guid id, CancellationToken cancellationToken) =>
        db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.OwnerId == actor.CurrentActorId, cancellationToken);
}
