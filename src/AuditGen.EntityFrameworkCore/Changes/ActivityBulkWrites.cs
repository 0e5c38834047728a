using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// What the generated interceptors of <c>ExecuteUpdate(Async)</c> and <c>ExecuteDelete(Async)</c> call: inside a logged use
/// case's unit of work on the query's context, the write's affected entities join the use case's record (old → new for
/// an update, the old values for a delete); anywhere else the write runs as EF Core's own, untouched.
/// </summary>
/// <remarks>
/// <para>
/// In the unit of work's transaction: the affected rows' keys, and the old values of the properties the setters set, are
/// read with the write's own query before it runs; then the write runs, an update returning its rows' new values
/// (<c>UPDATE … RETURNING</c>; read by key after it where the command cannot be rewritten: a setter may depend on
/// the row, and the query's filter may no longer match). [NotAudited] and sensitive names withhold
/// values, long text is cut, and past <see cref="ChangeCaptureOptions.MaxEntitiesPerRecord"/> entities the record counts
/// the rest instead of listing them (only that many rows are read).
/// </para>
/// <para>Generated code calls these methods; applications call EF Core's.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ActivityBulkWrites
{
    /// <summary>Runs <c>ExecuteUpdate</c>, capturing its changes inside a logged use case.</summary>
    /// <typeparam name="TSource">The entity type.</typeparam>
    /// <param name="source">The rows to update.</param>
    /// <param name="setPropertyCalls">The setters.</param>
    /// <param name="properties">The properties the setters set (<c>Address.City</c> inside a complex property), as the generator read them; null when it could not tell (then every property is compared).</param>
    /// <returns>The number of rows updated.</returns>
    public static int ExecuteUpdate<TSource>(IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls, string[]? properties)
    {
        ArgumentNullException.ThrowIfNull(source);
        return DbContextChangeCapture.TryFind(source.Provider, out DbContext? context, out DbContextChangeCapture? capture)
            ? BulkWrite.RunAsync(context!, capture!, source, setPropertyCalls, properties, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            : source.ExecuteUpdate(setPropertyCalls);
    }

    /// <summary>Runs <c>ExecuteUpdateAsync</c>, capturing its changes inside a logged use case.</summary>
    /// <typeparam name="TSource">The entity type.</typeparam>
    /// <param name="source">The rows to update.</param>
    /// <param name="setPropertyCalls">The setters.</param>
    /// <param name="properties">The properties the setters set, as the generator read them; null when it could not tell.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The number of rows updated.</returns>
    public static Task<int> ExecuteUpdateAsync<TSource>(
        IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls, string[]? properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return DbContextChangeCapture.TryFind(source.Provider, out DbContext? context, out DbContextChangeCapture? capture)
            ? BulkWrite.RunAsync(context!, capture!, source, setPropertyCalls, properties, async: true, cancellationToken).AsTask()
            : source.ExecuteUpdateAsync(setPropertyCalls, cancellationToken);
    }

    /// <summary>Runs <c>ExecuteDelete</c>, capturing the deleted entities inside a logged use case.</summary>
    /// <typeparam name="TSource">The entity type.</typeparam>
    /// <param name="source">The rows to delete.</param>
    /// <returns>The number of rows deleted.</returns>
    public static int ExecuteDelete<TSource>(IQueryable<TSource> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return DbContextChangeCapture.TryFind(source.Provider, out DbContext? context, out DbContextChangeCapture? capture)
            ? BulkWrite.RunAsync(context!, capture!, source, null, null, async: false, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            : source.ExecuteDelete();
    }

    /// <summary>Runs <c>ExecuteDeleteAsync</c>, capturing the deleted entities inside a logged use case.</summary>
    /// <typeparam name="TSource">The entity type.</typeparam>
    /// <param name="source">The rows to delete.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The number of rows deleted.</returns>
    public static Task<int> ExecuteDeleteAsync<TSource>(IQueryable<TSource> source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        return DbContextChangeCapture.TryFind(source.Provider, out DbContext? context, out DbContextChangeCapture? capture)
            ? BulkWrite.RunAsync(context!, capture!, source, null, null, async: true, cancellationToken).AsTask()
            : source.ExecuteDeleteAsync(cancellationToken);
    }
}
