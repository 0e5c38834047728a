namespace AuditGen;

/// <summary>How many records a summary's actor or owner has, in all and per action (most first, then by name).</summary>
/// <param name="Total">Every matching record.</param>
/// <param name="Actions">The count per action, by count descending, then action (ordinal).</param>
public sealed record ActivitySummary(long Total, IReadOnlyList<ActivityActionCount> Actions)
{
    /// <summary>A summary from counts per action in any order: sorted, with the total.</summary>
    /// <param name="counts">One count per action.</param>
    /// <returns>The summary.</returns>
    public static ActivitySummary From(IEnumerable<ActivityActionCount> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ActivityActionCount[] sorted = [.. counts.Where(static c => c.Count > 0)
            .OrderByDescending(static c => c.Count)
            .ThenBy(static c => c.Action, StringComparer.Ordinal)];
        return new ActivitySummary(sorted.Sum(static c => c.Count), sorted);
    }
}

/// <summary>One action's count in an <see cref="ActivitySummary"/>.</summary>
/// <param name="Action">The action, such as <c>create_task</c>.</param>
/// <param name="Count">How many records it has.</param>
public readonly record struct ActivityActionCount(string Action, long Count);
