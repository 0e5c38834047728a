using System.Collections.Immutable;

namespace AuditGen.Generators;

/// <summary>
/// EF Core: tracked changes (<c>DbContext</c>/<c>DbSet&lt;T&gt;</c> <c>Add</c>/<c>Update</c>/<c>Remove</c>/<c>Attach</c>,
/// saved by <c>SaveChanges*</c>), set-based <c>ExecuteUpdate*</c>/<c>ExecuteDelete*</c> and raw SQL <c>ExecuteSql*</c>
/// (bulk). Queries, <c>Find*</c>, <c>Entry</c> and LINQ are reads.
/// </summary>
internal static class EntityFrameworkCoreWrites
{
    private static readonly ImmutableArray<string> Tracked = ["Add*", "Update*", "Remove*", "Attach*"];

    public static readonly DataAccessFamily Family = new("EF Core",
    [
        new("Microsoft.EntityFrameworkCore.DbContext", [.. Tracked, "SaveChanges*"]),
        new("Microsoft.EntityFrameworkCore.DbSet`1", Tracked),
        new("Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions", ["ExecuteUpdate*", "ExecuteDelete*"], Bulk: true),
        new("Microsoft.EntityFrameworkCore.RelationalQueryableExtensions", ["ExecuteUpdate*", "ExecuteDelete*"], Bulk: true),
        new("Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions", ["ExecuteSql*"], Bulk: true),
    ]);
}
