// expects: AUD1001
namespace Corpus;

public sealed record DeleteTask(Guid Id);

public sealed class Deleter(ITaskRepository repo) : ICommandHandler<DeleteTask>
{
    public Task HandleAsync(DeleteTask command, CancellationToken cancellationToken) => repo.DeleteAsync(command.Id); // expect: AUD1001
}
