namespace AuditGen.Sqlite;

/// <summary>SQLite's <c>synchronous</c> setting in WAL mode.</summary>
public enum SqliteDurability
{
    /// <summary><c>synchronous=FULL</c>: the WAL is synced on every commit.</summary>
    Full,

    /// <summary><c>synchronous=NORMAL</c>: synced at checkpoints; a power loss can lose the latest commits.</summary>
    Normal,
}
