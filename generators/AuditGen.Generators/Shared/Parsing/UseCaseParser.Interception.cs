using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>Direct calls on the concrete use-case type, which the generated interceptors replace.</summary>
internal static partial class UseCaseParser
{
    /// <summary>
    /// The logged method a direct call on the concrete type reaches, when the generator can intercept it; otherwise null,
    /// with <paramref name="whyNot"/> saying why (null when the method is not logged at all).
    /// </summary>
    public static LoggedMethodModel? ResolveDirectCall(IMethodSymbol method, INamedTypeSymbol type, KnownTypes known, out string? whyNot)
    {
        whyNot = null;
        AttributeData? attribute = KnownTypes.FindAttribute(method, known.LogsActivity);
        if (attribute is null && KnownTypes.FindAttribute(type, known.LogsActivity) is { } onClass &&
            SymbolEqualityComparer.Default.Equals(FindClassUseCaseMethod(type, known, report: null), method))
        {
            attribute = onClass;
        }

        if (attribute is null)
        {
            return null;
        }

        LoggedMethodModel? model = ParseMethod(method, attribute, known, report: null);
        if (model is null)
        {
            whyNot = $"'{method.Name}' has [LogsActivity] errors of its own (see its AUD0xxx diagnostics)";
            return null;
        }

        if (type.Locations.Any(l => l.IsInSource))
        {
            // In its own compilation, the generator makes the class implement ILoggedUseCase.
            whyNot = WhyNotInterceptable(type, known);
            if (whyNot is null && model.ActorFromAccessor && FindMember(type, known.Accessor, requirePartial: true) is null)
            {
                whyNot = $"'{method.Name}' takes its actor from IActorAccessor, but class '{type.Name}' has no IActorAccessor constructor parameter, field or property";
            }
        }
        else if (!type.AllInterfaces.Any(i => KnownTypes.Is(i, known.UseCaseInterface)))
        {
            whyNot = $"class '{type.Name}' was compiled without the AuditGen generator, or is not partial with an IActivityLogRepo member";
        }

        return whyNot is null ? model : null;
    }

    /// <summary>Whether the project lets the generated interceptors in (the AuditGen package's props do).</summary>
    public static bool InterceptorsEnabled(ParseOptions options) =>
        options.Features.TryGetValue("InterceptorsNamespaces", out string? namespaces) && ContainsGeneratedNamespace(namespaces) ||
        options.Features.TryGetValue("InterceptorsPreviewNamespaces", out namespaces) && ContainsGeneratedNamespace(namespaces);

    /// <summary>
    /// Whether ASP.NET Core's Request Delegate Generator intercepts this project's <c>Map*</c> calls (its namespace is let in:
    /// <c>EnableRequestDelegateGenerator</c>, which <c>PublishAot</c> turns on). A call takes one interceptor, so a logged
    /// handler's <c>Map*</c> call cannot be intercepted a second time.
    /// </summary>
    public static bool RequestDelegateGeneratorEnabled(ParseOptions options) =>
        options.Features.TryGetValue("InterceptorsNamespaces", out string? namespaces) && ContainsNamespace(namespaces, RequestDelegateGeneratorNamespace) ||
        options.Features.TryGetValue("InterceptorsPreviewNamespaces", out namespaces) && ContainsNamespace(namespaces, RequestDelegateGeneratorNamespace);

    /// <summary>Why a logged handler's <c>Map*</c> call is not intercepted when the Request Delegate Generator is on.</summary>
    public const string RequestDelegateGeneratorConflict =
        "ASP.NET Core's Request Delegate Generator intercepts this call (EnableRequestDelegateGenerator, which PublishAot turns on), " +
        "and a call takes one interceptor; log the use case the handler calls, or turn the Request Delegate Generator off for this project";

    private const string RequestDelegateGeneratorNamespace = "Microsoft.AspNetCore.Http.Generated";

    private static bool ContainsGeneratedNamespace(string namespaces) => ContainsNamespace(namespaces, KnownTypes.GeneratedNamespace);

    private static bool ContainsNamespace(string namespaces, string name) =>
        namespaces.Split(';', ',').Any(n => n.Trim() == name);
}
