// expects: AUD1001, AUD1001
namespace Corpus;

public interface ITagRepo
{
    Task UpsertAsync(string tag);
    Task RemoveAllAsync();
    Task<bool> ExistsAsync(string tag);
}

public sealed class TagUseCase(ITagRepo tags)
{
    public Task UpsertAsync(string tag) => tags.UpsertAsync(tag); // expect: AUD1001

    public Task ClearAsync() => tags.RemoveAllAsync(); // expect: AUD1001

    public Task<bool> ExistsAsync(string tag) => tags.ExistsAsync(tag);
}
