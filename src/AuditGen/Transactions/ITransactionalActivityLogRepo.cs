namespace AuditGen;

/// <summary>
/// A store that lives in the same database transaction as the application's change, such as the EF Core store in the
/// application's own <c>DbContext</c>: a logged use case's change and its record commit together or not at all.
/// </summary>
/// <remarks>
/// The generated code begins a unit of work before the use case runs (<see cref="ActivityTransaction.BeginAsync"/>)
/// and commits it after the record is written. A store that does not implement this interface (in memory, or a log in
/// another database) commits the record separately, after the change; <see cref="ActivityLog"/> says so at startup.
/// </remarks>
public interface ITransactionalActivityLogRepo : IActivityLogRepo
{
    /// <summary>
    /// Begins the transaction the application's change will be written in, or joins the one already open on the same
    /// connection (then its owner commits it).
    /// </summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The store's side of the unit of work.</returns>
    ValueTask<IActivityLogTransaction> BeginTransactionAsync(CancellationToken cancellationToken);
}
