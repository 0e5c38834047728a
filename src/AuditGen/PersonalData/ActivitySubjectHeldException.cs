namespace AuditGen;

/// <summary>A legal hold covers a data subject, so their personal data cannot be erased until it is released.</summary>
public sealed class ActivitySubjectHeldException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="subjectId">The subject.</param>
    /// <param name="holdName">The hold that covers them.</param>
    public ActivitySubjectHeldException(Guid subjectId, string holdName)
        : base($"Subject {subjectId:D} is under legal hold '{holdName}': their personal data cannot be erased until the hold is released.")
    {
        SubjectId = subjectId;
        HoldName = holdName;
    }

    /// <summary>The subject.</summary>
    public Guid SubjectId { get; }

    /// <summary>The hold's name.</summary>
    public string HoldName { get; }
}
