using AuditGen.Conformance;
using AuditGen.EntityFrameworkCore.Shop;
using Microsoft.EntityFrameworkCore;

namespace AuditGen.EntityFrameworkCore.Tests;

/// <summary>
/// The EF Core store against the shared conformance suite, on each database. A DbContext serves one operation at a time,
/// so, as in an application, every operation gets its own context (a scope) over the same database.
/// </summary>
public abstract class EntityFrameworkCoreConformanceTests(string provider) : ActivityLogRepoConformanceTests, IDisposable
{
    private readonly List<ShopDatabase> _databases = [];

    protected override int AppendsPerWriter => 500;

    protected override async Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock)
    {
        var database = ShopDatabase.Create(provider);
        _databases.Add(database);
        var store = new ContextPerCall(database, new DbContextActivityLogState(new EntityFrameworkCoreActivityLogOptions(), clock));
        await using ShopContext context = store.NewContext();
        await ShopContext.CreateAsync(context);
        return store;
    }

    public void Dispose()
    {
        _databases.ForEach(d => d.Dispose());
        GC.SuppressFinalize(this);
    }

    private sealed class ContextPerCall(ShopDatabase database, DbContextActivityLogState state) : IActivityLogRepo
    {
        public ShopContext NewContext()
        {
            var options = new DbContextOptionsBuilder<ShopContext>();
            ShopContext.Configure(options, database.Provider, database.ConnectionString);
            return new ShopContext(options.Options);
        }

        public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
        {
            await using ShopContext context = NewContext();
            return await new DbContextActivityLogRepo<ShopContext>(context, state).AppendAsync(record, cancellationToken);
        }

        public async ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
        {
            await using ShopContext context = NewContext();
            return await new DbContextActivityLogRepo<ShopContext>(context, state).QueryAsync(query, cancellationToken);
        }
    }
}

public sealed class SqliteEntityFrameworkCoreConformanceTests() : EntityFrameworkCoreConformanceTests("sqlite");

public sealed class PostgreSqlEntityFrameworkCoreConformanceTests() : EntityFrameworkCoreConformanceTests("postgres");
