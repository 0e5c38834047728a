// expects: AUD1001
namespace Corpus;

public sealed class SaveProjectUseCase(IProjectStore store)
{
    public Task ExecuteAsync(Project project) => store.SaveAsync(project); // expect: AUD1001
}
