namespace AuditGen.Storage;

/// <summary>
/// A store that knows where files beside its database go (the SQLite file; a path derived from a PostgreSQL connection):
/// the default key-encryption key file (<see cref="Integrity.ActivityCheckpointFiles.KeyEncryptionKey"/>) is made there.
/// </summary>
public interface IActivityLogLocation
{
    /// <summary>The base path files beside the database are named after, such as <c>/data/audit.db</c>; null when the store has none (made from a data source).</summary>
    string? BasePath { get; }
}
