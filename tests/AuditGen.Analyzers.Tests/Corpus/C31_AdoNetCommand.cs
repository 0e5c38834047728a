// expects: AUD1001
namespace Corpus;

public sealed class ReindexUseCase(System.Data.Common.DbCommand command)
{
    public Task<int> ExecuteAsync() => command.ExecuteNonQueryAsync(); // expect: AUD1001
}
