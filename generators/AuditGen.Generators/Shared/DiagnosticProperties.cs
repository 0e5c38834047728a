namespace AuditGen.Generators;

/// <summary>Properties that analyzers put on their diagnostics for the code fixes (shared by both assemblies).</summary>
internal static class DiagnosticProperties
{
    /// <summary>
    /// On an AUD1001 at an entry point that [LogsActivity] cannot go on (a consumer its bus resolves by class): the code fix
    /// does not offer to add it there.
    /// </summary>
    public const string NotLoggableHere = "AuditGen.NotLoggableHere";
}
