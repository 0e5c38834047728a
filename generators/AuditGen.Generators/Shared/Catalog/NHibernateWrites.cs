namespace AuditGen.Generators;

/// <summary>
/// NHibernate: a session's writes (<c>Save</c>, <c>Update</c>, <c>Delete</c>, <c>Persist</c>, <c>Merge</c> and their
/// <c>Async</c> forms, and the <c>Flush</c> that sends them), a stateless session's <c>Insert</c>/<c>Update</c>/
/// <c>Delete</c>. <c>Get*</c>, <c>Load*</c> and <c>Query</c> are reads.
/// </summary>
internal static class NHibernateWrites
{
    public static readonly DataAccessFamily Family = new("NHibernate",
    [
        new("NHibernate.ISession", ["Save*", "Update*", "Delete*", "Persist*", "Merge*", "Flush*"]),
        new("NHibernate.IStatelessSession", ["Insert*", "Update*", "Delete*"]),
    ]);
}
