using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Query;

namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// The capture of <c>ExecuteUpdate</c> and <c>ExecuteDelete</c>, which bypass the change tracker: the generated interceptor
/// of each call site hands the query here (<see cref="ActivityBulkWrites"/>), and a query of a context with an open capture
/// is found through its query provider (one per context).
/// </summary>
internal sealed partial class DbContextChangeCapture
{
    private static readonly ConditionalWeakTable<object, Opened> ByQueryProvider = [];

    /// <summary>The capture open on the context that built <paramref name="provider"/>'s queries, if any.</summary>
    public static bool TryFind(IQueryProvider provider, out DbContext? context, out DbContextChangeCapture? capture)
    {
        if (ByQueryProvider.TryGetValue(provider, out Opened? opened) && opened.Context.TryGetTarget(out context))
        {
            capture = opened.Capture;
            return true;
        }

        context = null;
        capture = null;
        return false;
    }

    /// <summary>The entities this record can still list before <see cref="ChangeCaptureOptions.MaxEntitiesPerRecord"/>.</summary>
    public int Room => Math.Max(0, _plans.Options.MaxEntitiesPerRecord - _changes.Count);

    public ChangeCapturePlans Plans => _plans;

    private BulkWriteReturning? _returning;

    /// <summary>
    /// A bulk update waiting for its command to return its rows (<see cref="ActivityBulkWriteCommandInterceptor"/>), if any;
    /// counted in <see cref="BulkWriteReturning.AnyPending"/> for as long as it waits.
    /// </summary>
    public BulkWriteReturning? Returning
    {
        get => _returning;
        set
        {
            if (_returning is not null)
            {
                BulkWriteReturning.Exit();
            }

            _returning = value;
            if (value is not null)
            {
                BulkWriteReturning.Enter();
            }
        }
    }

    /// <summary>The waiting update, handed to the first command that asks (the next is not it).</summary>
    public BulkWriteReturning? TakeReturning()
    {
        BulkWriteReturning? returning = _returning;
        Returning = null;
        return returning;
    }

    private void RegisterQueries(DbContext context)
    {
        // The context's scoped query provider: every query built from its sets carries this instance.
        _queryProvider = context.GetService<IAsyncQueryProvider>();
        ByQueryProvider.AddOrUpdate(_queryProvider, new Opened(new WeakReference<DbContext>(context), this));
    }

    private void UnregisterQueries()
    {
        if (_queryProvider is not null)
        {
            ByQueryProvider.Remove(_queryProvider);
        }
    }

    /// <summary>
    /// Adds a bulk write's changes: <paramref name="changes"/> for the rows it read, and <paramref name="omitted"/> rows it
    /// changed beyond the record's room (counted, not listed).
    /// </summary>
    public void AddBulk(List<EntityChangeBuilder> changes, int omitted)
    {
        Merge(changes);
        _omitted += omitted;
    }

    private sealed record Opened(WeakReference<DbContext> Context, DbContextChangeCapture Capture);
}
