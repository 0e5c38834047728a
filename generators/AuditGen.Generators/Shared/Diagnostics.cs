using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// The mapping and generation rules (AUD0001…). Reported by the analyzers; the generator skips what breaks them.
/// Each message names the fix; each rule has docs/diagnostics/AUDnnnn.md.
/// </summary>
internal static class Diagnostics
{
    private const string Category = "AuditGen.Mapping";

    private static DiagnosticDescriptor Rule(string id, string title, string message, DiagnosticSeverity severity = DiagnosticSeverity.Error) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true,
            helpLinkUri: DiagnosticIds.HelpLink(id));

    public static readonly DiagnosticDescriptor InvalidAction = Rule(DiagnosticIds.InvalidAction,
        "Invalid action name",
        "Action '{0}' is not a valid action name: it must be 1-100 characters of [a-z0-9_.:-], for example \"create_task\"");

    public static readonly DiagnosticDescriptor MissingActor = Rule(DiagnosticIds.MissingActor,
        "No actor source",
        "'{0}' has no actor source: add a Guid parameter named actorId, mark a Guid parameter or property with [Actor], or give the use case an IActorAccessor (constructor parameter, field or property)");

    public static readonly DiagnosticDescriptor AmbiguousSource = Rule(DiagnosticIds.AmbiguousSource,
        "Ambiguous source",
        "'{0}' has {1} [{2}] sources ({3}): keep [{2}] on exactly one");

    public static readonly DiagnosticDescriptor WrongSourceType = Rule(DiagnosticIds.WrongSourceType,
        "Source has the wrong type",
        "The {0} source '{1}' of '{2}' is of type '{3}': it must be {4}");

    public static readonly DiagnosticDescriptor MissingEntityId = Rule(DiagnosticIds.MissingEntityId,
        "No entity id source",
        "'{0}' has no entity id source: return the id or a type with an Id property, take a request with an Id property or a parameter named id, or mark a parameter or property with [EntityId]");

    public static readonly DiagnosticDescriptor MissingEntityType = Rule(DiagnosticIds.MissingEntityType,
        "No entity type",
        "'{0}' takes its entity id from '{1}', so no type names the entity: set EntityType, for example [LogsActivity(\"{2}\", EntityType = \"Task\")]");

    public static readonly DiagnosticDescriptor Synchronous = Rule(DiagnosticIds.Synchronous,
        "Logged use case is synchronous",
        "'{0}' returns '{1}': a logged use case returns Task, Task<T>, ValueTask or ValueTask<T> so the record can be appended after it completes; make it async");

    public static readonly DiagnosticDescriptor Unreachable = Rule(DiagnosticIds.Unreachable,
        "Logged use case cannot be intercepted",
        "'{0}' can be neither decorated nor intercepted: {1}");

    public static readonly DiagnosticDescriptor UninterceptableCall = Rule(DiagnosticIds.UninterceptableCall,
        "Call to a logged use case is not logged",
        "This {0} of '{1}' cannot be intercepted, so its activity would not be recorded: {2}");

    public static readonly DiagnosticDescriptor DoubleLogging = Rule(DiagnosticIds.DoubleLogging,
        "Logged use case also appends by hand",
        "'{0}' is [LogsActivity] and also calls IActivityLogRepo.AppendAsync, so its activity would be recorded twice: remove the manual append or the attribute");

    public static readonly DiagnosticDescriptor ClassUseCaseMethod = Rule(DiagnosticIds.ClassUseCaseMethod,
        "No single use-case method",
        "[LogsActivity] on class '{0}' needs exactly one public method returning Task or ValueTask, but found {1}: put the attribute on the method instead");

    public static readonly DiagnosticDescriptor InvalidMetadata = Rule(DiagnosticIds.InvalidMetadata,
        "Invalid activity metadata",
        "Metadata '{0}' of '{1}' {2}");

    public static readonly DiagnosticDescriptor InvalidEntityType = Rule(DiagnosticIds.InvalidEntityType,
        "Invalid entity type",
        "EntityType {0} of '{1}' is not a valid entity type: it must be 1-100 characters, not blank, without control characters, for example \"Task\"");

    public static readonly DiagnosticDescriptor[] All =
    [
        InvalidAction, MissingActor, AmbiguousSource, WrongSourceType, MissingEntityId, MissingEntityType, Synchronous,
        Unreachable, UninterceptableCall, DoubleLogging, ClassUseCaseMethod, InvalidMetadata, InvalidEntityType,
    ];
}
