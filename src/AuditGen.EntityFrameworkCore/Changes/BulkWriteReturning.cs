using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// An update's new values taken from the write itself rather than read again after it: while a captured
/// <c>ExecuteUpdate</c> runs, its context's next non-query command (<see cref="ActivityBulkWriteCommandInterceptor"/>)
/// is the <c>UPDATE</c> EF Core generated; a <c>RETURNING</c> clause of the rows' keys and set columns is added to it,
/// the rows the database wrote are read, and EF Core gets the count it expects.
/// </summary>
/// <remarks>
/// Only a single <c>UPDATE … AS alias SET …</c> statement (what EF Core's SQLite and PostgreSQL providers generate) is
/// rewritten, and only when every value read has a column of the entity's table; otherwise <see cref="Rows"/> stays null and the capture reads
/// the new values by key after the write, as before. Values are read as EF Core materializes them (the column's type
/// mapping and value converter), so they compare with the old values read through EF Core.
/// </remarks>
internal sealed partial class BulkWriteReturning(BulkReadPlan read, BulkReturningColumns columns, ISqlGenerationHelper sql, bool sqlite, HashSet<string> wanted)
{
    private static int Pending;

    /// <summary>Whether any context has a write waiting for its command: when none, the interceptor returns at once.</summary>
    public static bool AnyPending => Volatile.Read(ref Pending) > 0;

    /// <summary>The new values of the wanted rows by entity id (laid out as the bulk read's projection: keys, then properties), or null when the command was not rewritten.</summary>
    public Dictionary<string, List<object?>>? Rows { get; private set; }

    /// <summary>Counts a write as waiting for its command (<see cref="DbContextChangeCapture.Returning"/> calls it); <see cref="Exit"/> when it no longer waits.</summary>
    public static void Enter() => Interlocked.Increment(ref Pending);

    /// <summary>Ends what <see cref="Enter"/> began.</summary>
    public static void Exit() => Interlocked.Decrement(ref Pending);

    /// <summary>Runs <paramref name="command"/> with the rows returned, or returns null (not an update this can rewrite).</summary>
    public int? TryExecute(DbCommand command)
    {
        if (!TryRewrite(command))
        {
            return null;
        }

        try
        {
            using DbDataReader reader = command.ExecuteReader();
            int count = 0;
            while (reader.Read())
            {
                Add(reader);
                count++;
            }

            return count;
        }
        catch
        {
            Rows = null; // a write that failed part way returned no trustworthy rows (were it retried, they are read after it)
            throw;
        }
    }

    /// <inheritdoc cref="TryExecute"/>
    public async ValueTask<int?> TryExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        if (!TryRewrite(command))
        {
            return null;
        }

        try
        {
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                int count = 0;
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    Add(reader);
                    count++;
                }

                return count;
            }
        }
        catch
        {
            Rows = null;
            throw;
        }
    }

    private bool TryRewrite(DbCommand command)
    {
        // One statement only, not returning already: a ';' anywhere (another statement, or one inside an inlined string)
        // or a RETURNING of its own leaves the command as it is, and the new values are read by key after it.
        string text = command.CommandText;
        Match update = UpdateStatement().Match(text);
        if (!update.Success || text.Contains(';', StringComparison.Ordinal) || text.Contains("RETURNING", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // SQLite: unqualified names, which there can only mean the updated table (and an alias there fails on a table with a
        // foreign key); PostgreSQL: qualified by the alias, as an UPDATE … FROM may join tables with the same column names.
        string prefix = sqlite ? "" : update.Groups["alias"].Value + ".";
        command.CommandText = text.TrimEnd() + Environment.NewLine + "RETURNING " +
            string.Join(", ", columns.Names.Select(name => prefix + sql.DelimitIdentifier(name)));
        Rows = new Dictionary<string, List<object?>>(wanted.Count, StringComparer.Ordinal);
        return true;
    }

    /// <summary>Keeps the row when the capture read it before the write (the rows past the record's room are only counted).</summary>
    private void Add(DbDataReader reader)
    {
        var row = new List<object?>(columns.Names.Length);
        for (int i = 0; i < read.Keys.Count; i++)
        {
            row.Add(columns.Read(reader, i));
        }

        string id = read.Id(row);
        if (!wanted.Contains(id))
        {
            return;
        }

        for (int i = read.Keys.Count; i < columns.Names.Length; i++)
        {
            row.Add(columns.Read(reader, i));
        }

        Rows![id] = row;
    }

    /// <summary>
    /// An <c>UPDATE</c> statement with an alias, after any tag comments: <c>UPDATE "products" AS "p" SET …</c> (SQLite),
    /// <c>UPDATE products AS p SET …</c> (PostgreSQL); the table may carry its schema.
    /// </summary>
    [GeneratedRegex("""\A(?:\s*--[^\n]*\n)*\s*UPDATE\s+(?:"[^"]*"|[\w$]+)(?:\.(?:"[^"]*"|[\w$]+))?\s+AS\s+(?<alias>"[^"]*"|[\w$]+)\s+SET\s""", RegexOptions.CultureInvariant)]
    private static partial Regex UpdateStatement();
}
