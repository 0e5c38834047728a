using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// A <see cref="BulkReadPlan"/>'s read by key for an entity type with one key column, compiled once (an EF Core compiled
/// query): the rows whose key is in a short list (<see cref="MaxKeys"/>), the list a parameter of the query. A query
/// built anew for every read costs EF Core a walk of its whole tree, projection included, to find it in the query cache,
/// on every save with a disconnected entry.
/// </summary>
internal abstract class BulkKeyRead
{
    /// <summary>
    /// The most keys read through the compiled query: EF Core 10 sends a compiled query's list as one parameter per key,
    /// which a thousand keys would make slow and the databases' parameter limits (SQLite's 32,766) could refuse; a longer
    /// list goes through <see cref="BulkWrite"/>'s query built with the list as one parameter.
    /// </summary>
    public const int MaxKeys = 64;

    /// <summary>The rows with the keys of <paramref name="rows"/> (each row's first value is its key), whatever the query filters say.</summary>
    public abstract ValueTask<List<List<object?>>> ReadAsync(DbContext context, List<List<object?>> rows, bool async, CancellationToken cancellationToken);

    public static BulkKeyRead Create(IEntityType entityType, BulkReadPlan read) =>
        (BulkKeyRead)Activator.CreateInstance(typeof(Of<,>).MakeGenericType(entityType.ClrType, read.Keys[0].ClrType), entityType, read)!;

    private sealed class Of<TSource, TKey> : BulkKeyRead
        where TSource : class
    {
        private readonly Func<DbContext, TKey[], IAsyncEnumerable<List<object?>>> _async;
        private readonly Func<DbContext, TKey[], IEnumerable<List<object?>>> _sync;

        public Of(IEntityType entityType, BulkReadPlan read)
        {
            ParameterExpression context = Expression.Parameter(typeof(DbContext), "context");
            ParameterExpression keys = Expression.Parameter(typeof(TKey[]), "keys"); // a parameter of the compiled query
            Expression query = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(TSource), typeof(List<object?>)],
                BulkWrite.AllRowsWhere(entityType, BulkWrite.KeyIn(entityType, read.Keys[0], keys)), Expression.Quote(read.Projection<TSource>()));
            var lambda = Expression.Lambda<Func<DbContext, TKey[], IQueryable<List<object?>>>>(query, context, keys);
            _async = EF.CompileAsyncQuery(lambda);
            _sync = EF.CompileQuery(lambda);
        }

        public override async ValueTask<List<List<object?>>> ReadAsync(DbContext context, List<List<object?>> rows, bool async, CancellationToken cancellationToken)
        {
            var keys = new TKey[rows.Count];
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = (TKey)rows[i][0]!;
            }

            if (!async)
            {
                return [.. _sync(context, keys)];
            }

            var result = new List<List<object?>>(keys.Length);
            await foreach (List<object?> row in _async(context, keys).WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                result.Add(row);
            }

            return result;
        }
    }
}
