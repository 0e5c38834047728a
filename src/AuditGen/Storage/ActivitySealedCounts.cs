using System.ComponentModel;

namespace AuditGen.Storage;

/// <summary>
/// For store implementations: how many <see cref="SealedValue"/>s a record holds per data key, which a store adds to each
/// key's count in the append's own transaction (so erasure reports them in constant time). It refuses a record holding a
/// <see cref="PersonalValue"/> in clear, as every store's encoding does.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ActivitySealedCounts
{
    /// <summary>The count of sealed values per key id, or null when the record holds none.</summary>
    /// <param name="record">A record about to be stored.</param>
    /// <returns>The counts, or null.</returns>
    /// <exception cref="InvalidOperationException">The record holds a personal value in clear.</exception>
    public static IReadOnlyDictionary<Guid, int>? Of(ActivityRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return ActivitySealing.SealedCounts(record);
    }
}
