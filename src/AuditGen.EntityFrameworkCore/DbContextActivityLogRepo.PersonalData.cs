using System.Data.Common;
using AuditGen.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// Personal data with the EF Core store: subject keys live beside the log in the context's database, kept by the ADO.NET
/// adapter of that database (one home for their SQL); each record's sealed values are counted in the record's own
/// transaction by the same adapter's enlisted insert. The key file of the default key-encryption key sits beside the
/// database, as the checkpoint key does.
/// </summary>
public sealed partial class DbContextActivityLogRepo<TContext> : IActivitySubjectKeyStore, IActivityLogLocation
{
    private IActivitySubjectKeyStore Keys => _state.SubjectKeys(_context.Database.GetDbConnection(),
        _context.Database.GetConnectionString() ?? throw new InvalidOperationException(
            $"{typeof(TContext).Name} has no connection string, so the activity log cannot find its subject keys: configure the context with one."));

    /// <inheritdoc/>
    public string? BasePath => (Keys as IActivityLogLocation)?.BasePath;

    /// <inheritdoc/>
    public ValueTask<ActivitySubjectKey?> FindSubjectKeyAsync(Guid subjectId, CancellationToken cancellationToken = default) =>
        Keys.FindSubjectKeyAsync(subjectId, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ActivitySubjectKey>> FindKeysAsync(IReadOnlyCollection<Guid> keyIds, CancellationToken cancellationToken = default) =>
        Keys.FindKeysAsync(keyIds, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<ActivitySubjectKey> AddSubjectKeyAsync(ActivitySubjectKey key, CancellationToken cancellationToken = default)
    {
        if (_context.Database.CurrentTransaction is not { } transaction)
        {
            return await Keys.AddSubjectKeyAsync(key, cancellationToken).ConfigureAwait(false);
        }

        DbTransaction open = transaction.GetDbTransaction();
        ActivitySubjectKey added = await Dialect().AddSubjectKeyAsync(Keys, open, key, cancellationToken).ConfigureAwait(false);
        return Dialect().WritesKeysIn(open) ? added with { Uncommitted = true } : added;
    }

    /// <inheritdoc/>
    public ValueTask<ActivityRecord> EraseSubjectAsync(Guid subjectId, Func<long, ActivityRecord> describe, CancellationToken cancellationToken = default) =>
        Keys.EraseSubjectAsync(subjectId, describe, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ActivitySubjectKey>> ListKeysAsync(Guid after, int limit, CancellationToken cancellationToken = default) =>
        Keys.ListKeysAsync(after, limit, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int> ReplaceWrappedKeysAsync(IReadOnlyList<ActivitySubjectKey> keys, CancellationToken cancellationToken = default) =>
        Keys.ReplaceWrappedKeysAsync(keys, cancellationToken);
}
