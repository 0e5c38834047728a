using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// Hands each <c>SaveChanges</c> of a context to the capture a logged use case's unit of work opened on it
/// (<see cref="DbContextChangeCapture"/>); a save outside a logged use case finds none and goes on untouched.
/// One instance serves every context.
/// </summary>
internal sealed class ActivityChangeInterceptor : SaveChangesInterceptor
{
    public static ActivityChangeInterceptor Instance { get; } = new();

    private ActivityChangeInterceptor()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context && DbContextChangeCapture.TryFind(context, out DbContextChangeCapture? capture))
        {
            // Synchronous: with async false nothing awaits, so the task is complete when it returns.
            capture!.BeforeSaveAsync(context, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && DbContextChangeCapture.TryFind(context, out DbContextChangeCapture? capture))
        {
            await capture!.BeforeSaveAsync(context, async: true, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Discard(eventData);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Discard(eventData);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Discard(eventData);
        return Task.CompletedTask;
    }

    private static void Saved(DbContextEventData eventData)
    {
        if (eventData.Context is { } context && DbContextChangeCapture.TryFind(context, out DbContextChangeCapture? capture))
        {
            capture!.AfterSave();
        }
    }

    private static void Discard(DbContextEventData eventData)
    {
        if (eventData.Context is { } context && DbContextChangeCapture.TryFind(context, out DbContextChangeCapture? capture))
        {
            capture!.Discard();
        }
    }
}
