using AuditGen;
using Microsoft.Extensions.DependencyInjection;

// A direct call, intercepted by the package's generator.
var direct = new InMemoryActivityLogRepo();
Note note = await new CreateNote(direct).RunAsync(Guid.NewGuid(), "hello");
Console.WriteLine($"direct: {direct.Records.Count} {direct.Records[0].Action} {direct.Records[0].EntityRef} {direct.Records[0].Metadata["text"]}");

// A call through DI, decorated by the generated AddLoggedUseCases().
await using ServiceProvider services = new ServiceCollection().AddActivityLog().AddLoggedUseCases().BuildServiceProvider();
await services.GetRequiredService<ICreateNote>().RunAsync(Guid.NewGuid(), "again");
InMemoryActivityLogRepo log = services.GetRequiredService<InMemoryActivityLogRepo>();
Console.WriteLine($"di: {log.Records.Count} {log.Records[0].Action} {log.Records[0].Metadata["text"]}");

public sealed record Note(Guid Id, Guid OwnerId, string Text);

public interface ICreateNote
{
    Task<Note> RunAsync(Guid actorId, string text);
}

public sealed partial class CreateNote(IActivityLogRepo log) : ICreateNote
{
    [LogsActivity("create_note", EntityType = "Note")]
    public Task<Note> RunAsync(Guid actorId, [ActivityMetadata] string text) => Task.FromResult(new Note(Guid.NewGuid(), actorId, text));
}

public interface INoteRepository
{
    Task DeleteAsync(Guid id);
}

/// <summary>Deliberately unlogged: the build must report AUD1001 here, and nothing else.</summary>
public sealed class DeleteNoteUseCase(INoteRepository repo)
{
    public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
}
