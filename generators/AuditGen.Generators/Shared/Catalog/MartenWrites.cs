using System.Collections.Immutable;

namespace AuditGen.Generators;

/// <summary>
/// Marten: a document session's pending writes (<c>Store</c>, <c>Insert</c>, <c>Update</c>, <c>Delete</c>, declared on
/// <c>IDocumentOperations</c>, which <c>IDocumentSession</c> extends), their commit (<c>SaveChanges*</c>), set-based
/// deletes and patches (bulk), and appended events. <c>Load*</c>, <c>Query</c> and <c>Events.FetchStream*</c> are reads.
/// </summary>
internal static class MartenWrites
{
    private static readonly ImmutableArray<string> Pending = ["Store", "Insert", "Update", "Delete", "HardDelete", "UndoDeleteWhere", "Eject"];

    public static readonly DataAccessFamily Family = new("Marten",
    [
        new("Marten.IDocumentOperations", Pending),
        new("Marten.IDocumentOperations", ["DeleteWhere", "HardDeleteWhere", "Patch"], Bulk: true),
        new("Marten.IDocumentSession", [.. Pending, "SaveChanges", "SaveChangesAsync"]),
        new("Marten.IDocumentSession", ["DeleteWhere", "HardDeleteWhere", "Patch"], Bulk: true),
        new("Marten.Events.IEventOperations", ["Append", "StartStream", "ArchiveStream"]),
        new("Marten.Events.IEventStore", ["Append", "StartStream", "ArchiveStream"]),
    ]);
}
