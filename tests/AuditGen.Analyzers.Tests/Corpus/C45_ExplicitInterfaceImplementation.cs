// expects: AUD1001
namespace Corpus;

public sealed record RenameTask(Guid Id, string Title);

public sealed class Renamer(ITaskRepository repo) : ICommandHandler<RenameTask>
{
    async Task ICommandHandler<RenameTask>.HandleAsync(RenameTask command, CancellationToken cancellationToken) // expect: AUD1001
    {
        TaskItem? task = await repo.GetAsync(command.Id);
        await repo.UpdateAsync(task! with { Title = command.Title });
    }
}
