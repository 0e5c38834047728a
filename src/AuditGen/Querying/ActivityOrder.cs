namespace AuditGen;

/// <summary>The order of a query's results, always by <see cref="ActivityRecord.Sequence"/>.</summary>
public enum ActivityOrder
{
    /// <summary>Most recently appended first: activity feeds and history views.</summary>
    NewestFirst,

    /// <summary>First appended first: exports and replays.</summary>
    OldestFirst,
}
