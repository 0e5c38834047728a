// expects: AUD1003
namespace Corpus;

public sealed record PurgeResult(Guid Id, Guid OwnerId, int Deleted);

public sealed class PurgeBoardUseCase(AppDb db)
{
    [LogsActivity("purge_board", EntityType = "Board")]
    public async Task<PurgeResult> ExecuteAsync(Guid actorId, Guid board)
    {
        int deleted = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(db.Tasks.Where(t => t.OwnerId == board)); // expect: AUD1003
        return new PurgeResult(board, actorId, deleted);
    }
}
