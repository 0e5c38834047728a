using System.Linq;
using System.Reflection;

namespace AuditGen.Generators;

/// <summary>
/// Every diagnostic id AuditGen reports, in one place (descriptors, code fixes and tests name them from here), and the
/// help link of each: the rule's page under the repository the packages declare (MSBuild <c>RepositoryUrl</c>, stamped on
/// this assembly at build). The same pages ship in the AuditGen package, under <c>docs/diagnostics/</c>.
/// </summary>
internal static class DiagnosticIds
{
    // Mapping and generation rules (the generator skips what breaks them; the analyzers report them).
    public const string InvalidAction = "AUD0001";
    public const string MissingActor = "AUD0002";
    public const string AmbiguousSource = "AUD0003";
    public const string WrongSourceType = "AUD0004";
    public const string MissingEntityId = "AUD0005";
    public const string MissingEntityType = "AUD0006";
    public const string Synchronous = "AUD0007";
    public const string Unreachable = "AUD0008";
    public const string UninterceptableCall = "AUD0009";
    public const string DoubleLogging = "AUD0010";
    public const string ClassUseCaseMethod = "AUD0011";
    public const string InvalidMetadata = "AUD0012";
    public const string InvalidEntityType = "AUD0013";

    // Coverage rules: every mutation is logged or explicitly excused.
    public const string Unlogged = "AUD1001";
    public const string NoMutation = "AUD1002";
    public const string Bulk = "AUD1003";
    public const string ActionEntityConflict = "AUD1004";

    private static readonly string RepositoryUrl =
        typeof(DiagnosticIds).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryUrl")?.Value?.TrimEnd('/') ?? "";

    /// <summary>The rule's documentation page: <c>{RepositoryUrl}/blob/main/docs/diagnostics/{id}.md</c>.</summary>
    public static string HelpLink(string id) => $"{RepositoryUrl}/blob/main/docs/diagnostics/{id}.md";
}
