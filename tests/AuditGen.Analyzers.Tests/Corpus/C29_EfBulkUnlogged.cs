// expects: AUD1001
namespace Corpus;

public sealed class ResetTitlesUseCase(AppDb db)
{
    public Task<int> ExecuteAsync() => // expect: AUD1001
        Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(db.Tasks, t => { });
}
