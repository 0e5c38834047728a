namespace AuditGen;

/// <summary>One page of query results.</summary>
/// <param name="Items">The records, in the query's order.</param>
/// <param name="NextCursor">Pass as <see cref="ActivityQuery.Cursor"/> to get the next page; <see langword="null"/> on the last page.</param>
public sealed record ActivityPage(IReadOnlyList<ActivityRecord> Items, string? NextCursor)
{
    /// <summary>A page with no records and no next page.</summary>
    public static ActivityPage Empty { get; } = new([], null);
}
