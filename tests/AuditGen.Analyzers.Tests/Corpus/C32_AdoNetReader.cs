// expects: nothing
namespace Corpus;

public sealed class CountUseCase(System.Data.Common.DbCommand command)
{
    public Task<object?> ExecuteAsync() => command.ExecuteScalarAsync();
}
