using System.Text;
using AuditGen.Storage;
using Microsoft.Data.Sqlite;

namespace AuditGen.Sqlite;

/// <summary>Counts per action with one grouped query over the actor's or owner's index.</summary>
public sealed partial class SqliteActivityLogRepo
{
    /// <inheritdoc/>
    public async ValueTask<ActivitySummary> SummarizeAsync(ActivitySummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using SqliteConnection connection = await OpenAsync(cancellationToken, writes: false).ConfigureAwait(false);
        return await SummarizeAsync(connection, null, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The summary, on <paramref name="connection"/> (inside <paramref name="transaction"/> if given).</summary>
    internal static async ValueTask<ActivitySummary> SummarizeAsync(SqliteConnection connection, SqliteTransaction? transaction, ActivitySummaryQuery query,
        CancellationToken cancellationToken)
    {
        await using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        var sql = new StringBuilder("SELECT action, count(*) FROM activity_records");
        string separator = " WHERE ";
        foreach (ActivityFilter filter in ActivityBatch.Filters(query.ToQuery(), after: null))
        {
            string name = "$p" + command.Parameters.Count;
            command.Parameters.AddWithValue(name, filter.Value is DateTimeOffset at ? at.UtcTicks : filter.Value);
            sql.Append(separator).Append(filter.Column).Append(' ').Append(filter.Operator).Append(' ').Append(name);
            separator = " AND ";
        }

        command.CommandText = sql.Append(" GROUP BY action").ToString();
        return await ActivityBatch.ReadSummaryAsync(command, cancellationToken).ConfigureAwait(false);
    }
}
