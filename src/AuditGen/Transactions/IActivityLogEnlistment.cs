using System.Data.Common;

namespace AuditGen;

/// <summary>
/// A store that can write records inside a <see cref="DbTransaction"/> the application opened on its own connection, for
/// applications that write their data with ADO.NET or Dapper. The SQLite and PostgreSQL adapters implement it.
/// </summary>
public interface IActivityLogEnlistment
{
    /// <summary>
    /// Joins <paramref name="transaction"/>: records appended through the result are written on its connection, inside it,
    /// and <see cref="IActivityLogTransaction.CommitAsync"/> commits it.
    /// </summary>
    /// <param name="transaction">An open transaction on a connection to the log's database.</param>
    /// <returns>The store's side of the unit of work.</returns>
    /// <exception cref="ArgumentException">The transaction belongs to another kind of database, or has no connection.</exception>
    IActivityLogTransaction Enlist(DbTransaction transaction);
}
