// expects: nothing
namespace Corpus;

public sealed class FormatTitleUseCase
{
    public static string Execute(string title) => title.Trim();

    public Task<string> RunAsync(string title) => Task.FromResult(Execute(title));
}
