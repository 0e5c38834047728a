namespace AuditGen.Generators;

/// <summary>
/// Dapper: <c>Execute</c>/<c>ExecuteAsync</c> run a statement for its effect (bulk: one call can change many rows);
/// Dapper.Contrib's <c>Insert</c>/<c>Update</c>/<c>Delete</c>/<c>DeleteAll</c>. <c>Query*</c>, <c>ExecuteScalar*</c>
/// and <c>ExecuteReader*</c> are reads.
/// </summary>
internal static class DapperWrites
{
    public static readonly DataAccessFamily Family = new("Dapper",
    [
        new("Dapper.SqlMapper", ["Execute", "ExecuteAsync"], Bulk: true),
        new("Dapper.Contrib.Extensions.SqlMapperExtensions", ["Insert", "InsertAsync", "Update", "UpdateAsync", "Delete", "DeleteAsync"]),
        new("Dapper.Contrib.Extensions.SqlMapperExtensions", ["DeleteAll", "DeleteAllAsync"], Bulk: true),
    ]);
}
