// expects: AUD1001
namespace Corpus;

public sealed class UpdateTitleUseCase(AppDb db)
{
    public Task<int> ExecuteAsync() => db.SaveChangesAsync(); // expect: AUD1001
}
