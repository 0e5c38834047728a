// expects: nothing
namespace Corpus;

public sealed class NowUseCase(IClock clock)
{
    public Task<DateTimeOffset> ExecuteAsync() => Task.FromResult(clock.Now);
}
