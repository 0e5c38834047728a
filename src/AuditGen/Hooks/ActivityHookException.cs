namespace AuditGen;

/// <summary>A before-append hook failed or misbehaved; nothing was appended. <see cref="Exception.InnerException"/> holds its exception.</summary>
public sealed class ActivityHookException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="hookType">The hook's type name.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The hook's exception, if it threw.</param>
    public ActivityHookException(string hookType, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        HookType = hookType;
    }

    /// <summary>The failing hook's type name.</summary>
    public string HookType { get; }
}
