namespace AuditGen.Generators;

/// <summary>
/// ADO.NET: a command or batch that executes without reading rows (<c>ExecuteNonQuery*</c>), on the base types every
/// provider derives from (<c>SqlCommand</c>, <c>NpgsqlCommand</c>, <c>SqliteCommand</c> override them). Readers and
/// scalars are reads.
/// </summary>
internal static class AdoNetWrites
{
    public static readonly DataAccessFamily Family = new("ADO.NET",
    [
        new("System.Data.Common.DbCommand", ["ExecuteNonQuery*"], Bulk: true),
        new("System.Data.IDbCommand", ["ExecuteNonQuery"], Bulk: true),
        new("System.Data.Common.DbBatch", ["ExecuteNonQuery*"], Bulk: true),
        new("System.Data.Common.DbDataAdapter", ["Update"], Bulk: true),
    ]);
}
