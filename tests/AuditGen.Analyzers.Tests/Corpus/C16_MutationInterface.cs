// expects: AUD1001
namespace Corpus;

public sealed class RemindOwnerUseCase(INotifier notifier)
{
    public Task ExecuteAsync(Guid owner) => notifier.NotifyAsync(owner, "reminder"); // expect: AUD1001
}
