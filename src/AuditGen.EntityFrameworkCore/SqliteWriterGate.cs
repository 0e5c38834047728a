using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// One turn at a time per SQLite database in this process, for the EF Core store's write transactions. SQLite has one
/// writer; without a queue, a transaction that finds the write lock taken sleeps in SQLite's busy handler (1, 2, 5 …
/// 100 ms steps) rather than starting when the lock is free, which under load turns a few milliseconds of waiting into
/// hundreds. Other processes still meet SQLite's own locking.
/// </summary>
internal static class SqliteWriterGate
{
    /// <summary>
    /// How long a turn is waited for before the transaction goes ahead without one (and meets SQLite's own busy timeout,
    /// as before the gate): a use case that, inside its transaction, starts another scope's transaction on the same
    /// database must not wait forever. Microsoft.Data.Sqlite's default busy timeout.
    /// </summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);

    /// <summary>Waits for the turn of the database <paramref name="connection"/> names; disposing the result ends it.</summary>
    public static async ValueTask<IDisposable?> EnterAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = Gates.GetOrAdd(Key(connection), static _ => new SemaphoreSlim(1, 1));
        return await gate.WaitAsync(Patience, cancellationToken).ConfigureAwait(false) ? new Turn(gate) : null;
    }

    /// <summary>Whether a transaction of this process holds the turn of the database <paramref name="connection"/> names (for tests).</summary>
    public static bool IsHeld(SqliteConnection connection) => Gates.TryGetValue(Key(connection), out SemaphoreSlim? gate) && gate.CurrentCount == 0;

    /// <summary>The database file's full path; the connection string itself for in-memory databases.</summary>
    private static string Key(SqliteConnection connection)
    {
        var builder = new SqliteConnectionStringBuilder(connection.ConnectionString);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:"
            ? connection.ConnectionString
            : Path.GetFullPath(builder.DataSource);
    }

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
