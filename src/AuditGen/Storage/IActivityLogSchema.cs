namespace AuditGen.Storage;

/// <summary>
/// A store whose database holds a versioned schema: it can say whether that schema is the one it writes. The health
/// check (<c>AddActivityLogHealthChecks</c>) asks it; the SQLite and PostgreSQL adapters implement it.
/// </summary>
public interface IActivityLogSchema
{
    /// <summary>
    /// Whether the database holds the schema version this adapter writes, after creating or migrating it when the
    /// adapter does that itself (its <c>CreateSchema</c> option).
    /// </summary>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when the schema is current.</returns>
    ValueTask<bool> IsSchemaCurrentAsync(CancellationToken cancellationToken = default);
}
