using AuditGen.Generators;
using Microsoft.CodeAnalysis;

namespace AuditGen.Analyzers;

/// <summary>The coverage rules (AUD1001…): every mutation is logged or explicitly excused.</summary>
internal static class CoverageDiagnostics
{
    private const string Category = "AuditGen.Coverage";

    private static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity, params string[] tags) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(id), customTags: tags);

    /// <summary>The properties of an AUD1001 where [LogsActivity] cannot go (<see cref="DiagnosticProperties.NotLoggableHere"/>).</summary>
    public static readonly System.Collections.Immutable.ImmutableDictionary<string, string?> NotLoggableHere =
        System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add(DiagnosticProperties.NotLoggableHere, "true");

    public static readonly DiagnosticDescriptor Unlogged = Rule(DiagnosticIds.Unlogged,
        "Mutation is not logged",
        "'{0}' changes state ({1}) but records no activity: add [LogsActivity(\"action\")], or [NotLogged(\"reason\")] if it needs no record",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NoMutation = Rule(DiagnosticIds.NoMutation,
        "Logged method changes nothing",
        "'{0}' is [LogsActivity] but no mutation was found in it: is the attribute on the right method?",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor Bulk = Rule(DiagnosticIds.Bulk,
        "Bulk mutation in a logged use case",
        "'{0}' logs one record for {1}, which can change many rows: record how many in metadata (for example an [ActivityMetadata] count on the result)",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ActionEntityConflict = Rule(DiagnosticIds.ActionEntityConflict,
        "One action, two entity types",
        "Action '{0}' is logged with entity type '{1}' here and '{2}' by {3}: give each action one entity type, or rename one action",
        DiagnosticSeverity.Warning, WellKnownDiagnosticTags.CompilationEnd);
}
