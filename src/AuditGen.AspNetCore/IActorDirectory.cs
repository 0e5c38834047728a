namespace AuditGen.AspNetCore;

/// <summary>
/// Display names for actor and owner ids, so people read names where the log keeps GUIDs. Optional: register one and the
/// read API adds <c>actorName</c> and <c>ownerName</c> to its items and exports (one batched call per page).
/// </summary>
public interface IActorDirectory
{
    /// <summary>The display names of those of <paramref name="ids"/> the directory knows; unknown ids are left out.</summary>
    /// <param name="ids">Distinct ids, at most one page's worth.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Names by id.</returns>
    ValueTask<IReadOnlyDictionary<Guid, string>> GetDisplayNamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);
}
