namespace AuditGen;

/// <summary>The outcome of <see cref="IActivityLogRepo.AppendAsync"/>: appended, or vetoed by a before-append hook.</summary>
public sealed record AppendResult
{
    private AppendResult(ActivityRecord? record, string? vetoReason, string? vetoedBy)
    {
        Record = record;
        VetoReason = vetoReason;
        VetoedBy = vetoedBy;
    }

    /// <summary>Whether the record was stored.</summary>
    public bool IsAppended => Record is not null;

    /// <summary>The record as stored (stamped, sequenced, patched by hooks); <see langword="null"/> when vetoed.</summary>
    public ActivityRecord? Record { get; }

    /// <summary>Why a hook vetoed the record; <see langword="null"/> when appended.</summary>
    public string? VetoReason { get; }

    /// <summary>The type name of the hook that vetoed the record; <see langword="null"/> when appended.</summary>
    public string? VetoedBy { get; }

    /// <summary>The record was stored.</summary>
    /// <param name="stored">The record as stored, with its sequence.</param>
    /// <returns>The result.</returns>
    public static AppendResult Appended(ActivityRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new AppendResult(stored, null, null);
    }

    /// <summary>A hook vetoed the record; nothing was stored.</summary>
    /// <param name="reason">Why, for logs and callers.</param>
    /// <param name="vetoedBy">The vetoing hook's type name.</param>
    /// <returns>The result.</returns>
    public static AppendResult Vetoed(string reason, string vetoedBy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(vetoedBy);
        return new AppendResult(null, reason, vetoedBy);
    }
}
