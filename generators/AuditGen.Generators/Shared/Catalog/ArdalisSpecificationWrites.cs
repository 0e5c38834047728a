using System.Collections.Immutable;

namespace AuditGen.Generators;

/// <summary>
/// Ardalis.Specification: the repository's writes, declared on <c>IRepositoryBase&lt;T&gt;</c> (which an application's
/// <c>IRepository&lt;T&gt;</c> extends) and on the EF Core <c>RepositoryBase&lt;T&gt;</c>. <c>GetById*</c>,
/// <c>FirstOrDefault*</c>, <c>List*</c>, <c>Count*</c>, <c>Any*</c> are reads.
/// </summary>
internal static class ArdalisSpecificationWrites
{
    private static readonly ImmutableArray<string> Writes = ["AddAsync", "AddRangeAsync", "UpdateAsync", "UpdateRangeAsync", "DeleteAsync", "SaveChangesAsync"];

    public static readonly DataAccessFamily Family = new("Ardalis.Specification",
    [
        new("Ardalis.Specification.IRepositoryBase`1", Writes),
        new("Ardalis.Specification.IRepositoryBase`1", ["DeleteRangeAsync"], Bulk: true),
        new("Ardalis.Specification.EntityFrameworkCore.RepositoryBase`1", Writes),
        new("Ardalis.Specification.EntityFrameworkCore.RepositoryBase`1", ["DeleteRangeAsync"], Bulk: true),
    ]);
}
