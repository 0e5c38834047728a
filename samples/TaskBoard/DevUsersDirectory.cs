using AuditGen.AspNetCore;

namespace TaskBoard;

/// <summary>The sample's names for its three users: the read API shows "alice" where the log keeps her id.</summary>
public sealed class DevUsersDirectory : IActorDirectory
{
    public ValueTask<IReadOnlyDictionary<Guid, string>> GetDisplayNamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<Guid, string>>(DevUsers.All.Where(u => ids.Contains(u.Id)).ToDictionary(u => u.Id, u => u.Name));
}
