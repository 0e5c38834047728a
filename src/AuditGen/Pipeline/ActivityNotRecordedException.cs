namespace AuditGen;

/// <summary>
/// The record of a completed use case could not be written. <see cref="ChangeCommitted"/> says whether the change stands
/// without its record (a store that cannot share the change's transaction) or was rolled back with it.
/// <see cref="Exception.InnerException"/> holds the cause.
/// </summary>
public sealed class ActivityNotRecordedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="action">The action that was not recorded.</param>
    /// <param name="changeCommitted">Whether the use case's change stands without its record.</param>
    /// <param name="message">What happened.</param>
    /// <param name="innerException">The cause.</param>
    public ActivityNotRecordedException(string action, bool changeCommitted, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Action = action;
        ChangeCommitted = changeCommitted;
    }

    /// <summary>The action that was not recorded, such as <c>create_task</c>.</summary>
    public string Action { get; }

    /// <summary>
    /// <see langword="true"/>: the use case's change was made and stands without its record (alert on it);
    /// <see langword="false"/>: the change was rolled back with the record.
    /// </summary>
    public bool ChangeCommitted { get; }
}
