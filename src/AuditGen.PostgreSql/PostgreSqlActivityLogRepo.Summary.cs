using System.Text;
using AuditGen.Storage;
using Npgsql;

namespace AuditGen.PostgreSql;

/// <summary>Counts per action with one grouped query over the actor's or owner's index.</summary>
public sealed partial class PostgreSqlActivityLogRepo
{
    /// <inheritdoc/>
    public async ValueTask<ActivitySummary> SummarizeAsync(ActivitySummaryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await SummarizeAsync(connection, null, query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The summary, on <paramref name="connection"/> (inside <paramref name="transaction"/> if given).</summary>
    internal async ValueTask<ActivitySummary> SummarizeAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, ActivitySummaryQuery query,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
        var sql = new StringBuilder("SELECT action, count(*) FROM ").Append(_table);
        string separator = " WHERE ";
        foreach (ActivityFilter filter in ActivityBatch.Filters(query.ToQuery(), after: null))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = filter.Value });
            sql.Append(separator).Append(filter.Column).Append(' ').Append(filter.Operator).Append(" $").Append(command.Parameters.Count);
            separator = " AND ";
        }

        command.CommandText = sql.Append(" GROUP BY action").ToString();
        return await ActivityBatch.ReadSummaryAsync(command, cancellationToken).ConfigureAwait(false);
    }
}
