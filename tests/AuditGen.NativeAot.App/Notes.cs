namespace AuditGen.NativeAot.App;

public sealed record Note(Guid Id, Guid OwnerId, string Text);

public interface ICreateNote
{
    Task<Note> ExecuteAsync(Guid actorId, string text, CancellationToken cancellationToken = default);
}

/// <summary>A logged use case: decorated when resolved as <see cref="ICreateNote"/>, intercepted when called directly.</summary>
public sealed partial class CreateNote(IActivityLogRepo log) : ICreateNote
{
    [LogsActivity("create_note", EntityType = "Note")]
    public Task<Note> ExecuteAsync(Guid actorId, [ActivityMetadata] string text, CancellationToken cancellationToken = default) =>
        Task.FromResult(new Note(Guid.CreateVersion7(), actorId, text));
}
