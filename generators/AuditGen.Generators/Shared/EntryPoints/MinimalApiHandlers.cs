using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// Minimal-API handlers: the <c>Delegate</c> passed to <c>Map</c>, <c>MapGet</c>, <c>MapPost</c>, <c>MapPut</c>,
/// <c>MapDelete</c>, <c>MapPatch</c>, <c>MapMethods</c>, <c>MapFallback</c> (<c>EndpointRouteBuilderExtensions</c>, so on an
/// application and on a route group alike) — a lambda or a method group. Recognised at the call site, not by the method.
/// </summary>
internal sealed class MinimalApiHandlers(Compilation compilation)
{
    private readonly INamedTypeSymbol? _extensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
    private readonly INamedTypeSymbol? _delegate = compilation.GetTypeByMetadataName("System.Delegate");

    public static EntryPointKind Kind => EntryPointKind.MinimalApiHandler;

    /// <summary>Whether the compilation references minimal APIs at all.</summary>
    public bool IsAvailable => _extensions is not null;

    /// <summary>
    /// The handler <paramref name="invocation"/> maps — an <see cref="IAnonymousFunctionOperation"/> (lambda) or an
    /// <see cref="IMethodReferenceOperation"/> (method group) — or null when it maps none. <paramref name="route"/>: the
    /// route pattern when it is a constant.
    /// </summary>
    public IOperation? HandlerOf(IInvocationOperation invocation, out string? route)
    {
        route = null;
        IMethodSymbol target = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        if (_extensions is null || !target.Name.StartsWith("Map", System.StringComparison.Ordinal) || !KnownTypes.Is(target.ContainingType, _extensions))
        {
            return null;
        }

        IOperation? handler = null;
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                continue;
            }

            if (parameter.Name == "pattern" && argument.Value.ConstantValue is { HasValue: true, Value: string pattern })
            {
                route = pattern;
            }
            else if (KnownTypes.Is(parameter.Type, _delegate))
            {
                handler = argument.Value;
            }
        }

        while (handler is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation)
        {
            handler = handler switch
            {
                IConversionOperation conversion => conversion.Operand,
                IDelegateCreationOperation creation => creation.Target,
                IParenthesizedOperation parenthesized => parenthesized.Operand,
                _ => handler,
            };
        }

        return handler is IAnonymousFunctionOperation or IMethodReferenceOperation ? handler : null;
    }

    /// <summary>The HTTP verb a <c>Map*</c> method maps (<c>MapPost</c> → <c>Post</c>), or null for <c>Map</c>/<c>MapMethods</c>.</summary>
    public static string? Verb(IMethodSymbol mapMethod) =>
        mapMethod.Name is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" ? mapMethod.Name.Substring(3) : null;
}
