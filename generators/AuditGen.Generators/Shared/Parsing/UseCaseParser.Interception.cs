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

    private static bool ContainsGeneratedNamespace(string namespaces) =>
        namespaces.Split(';', ',').Any(n => n.Trim() == KnownTypes.GeneratedNamespace);
}
