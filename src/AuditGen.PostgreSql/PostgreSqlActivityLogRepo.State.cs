using System.Text;
using AuditGen.Storage;
using Npgsql;

namespace AuditGen.PostgreSql;

public sealed partial class PostgreSqlActivityLogRepo
{
    /// <summary>
    /// The state of <paramref name="entity"/> as of <paramref name="at"/>, rebuilt from its records' changes: one query of
    /// their sequence, time and changes column only, each row's changes JSON read in place
    /// (<see cref="ActivityEntityStateBuilder"/>), no record built.
    /// </summary>
    /// <param name="entity">The entity.</param>
    /// <param name="at">The point in time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The state, or null when nothing was recorded about the entity up to <paramref name="at"/>.</returns>
    public async ValueTask<ActivityEntityState?> GetEntityStateAsync(EntityRef entity, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ActivityQuery query = ActivityEntityState.QueryFor(entity, at);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlConnection connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder("SELECT sequence, occurred_at, changes FROM ").Append(_table);
        string separator = " WHERE ";
        foreach (ActivityFilter filter in ActivityBatch.Filters(query, after: null))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = filter.Value });
            sql.Append(separator).Append(filter.Column).Append(' ').Append(filter.Operator).Append(" $").Append(command.Parameters.Count);
            separator = " AND ";
        }

        command.CommandText = sql.Append(" ORDER BY sequence").ToString();
        var state = new ActivityEntityStateBuilder(entity, at);
        await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            state.Apply(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        }

        return state.Build();
    }
}
