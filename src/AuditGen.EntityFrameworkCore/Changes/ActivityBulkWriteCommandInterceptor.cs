using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// Gives a captured <c>ExecuteUpdate</c> its command (<see cref="BulkWriteReturning"/>): the first non-query command of a
/// context whose capture has an update waiting. Every other command goes on untouched, and while no update waits anywhere
/// the check is one read of a counter. One instance serves every context.
/// </summary>
internal sealed class ActivityBulkWriteCommandInterceptor : DbCommandInterceptor
{
    public static ActivityBulkWriteCommandInterceptor Instance { get; } = new();

    private ActivityBulkWriteCommandInterceptor()
    {
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        !result.HasResult && Waiting(eventData) is { } returning && returning.TryExecute(command) is int affected
            ? InterceptionResult<int>.SuppressWithResult(affected)
            : result;

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        !result.HasResult && Waiting(eventData) is { } returning && await returning.TryExecuteAsync(command, cancellationToken).ConfigureAwait(false) is int affected
            ? InterceptionResult<int>.SuppressWithResult(affected)
            : result;

    private static BulkWriteReturning? Waiting(CommandEventData eventData) =>
        BulkWriteReturning.AnyPending && eventData.Context is { } context && DbContextChangeCapture.TryFind(context, out DbContextChangeCapture? capture)
            ? capture!.TakeReturning()
            : null;
}
