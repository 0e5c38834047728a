using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// Minimal-API handlers: the <c>Delegate</c> passed to <c>Map</c>, <c>MapGet</c>, <c>MapPost</c>, <c>MapPut</c>,
/// <c>MapDelete</c>, <c>MapPatch</c>, <c>MapMethods</c>, <c>MapFallback</c> (<c>EndpointRouteBuilderExtensions</c>, so on an
/// application and on a route group alike) or to an application's own <c>Map*</c> wrapper of them — a lambda or a method
/// group. Recognised at the call site, not by the method.
/// </summary>
internal sealed class MinimalApiHandlers(Compilation compilation)
{
    private readonly INamedTypeSymbol? _extensions = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions");
    private readonly INamedTypeSymbol? _delegate = compilation.GetTypeByMetadataName("System.Delegate");
    private readonly INamedTypeSymbol? _routeBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Routing.IEndpointRouteBuilder");

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
        if (_extensions is null || !target.Name.StartsWith("Map", System.StringComparison.Ordinal) ||
            !(KnownTypes.Is(target.ContainingType, _extensions) || IsMapWrapper(target)))
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

    /// <summary>
    /// An application's own <c>Map*</c> extension on a route builder that takes the handler as a <c>Delegate</c> (a template's
    /// <c>group.MapPost(CreateTodoItem)</c> that forwards to the framework's <c>MapPost</c>).
    /// </summary>
    private bool IsMapWrapper(IMethodSymbol target) =>
        target is { IsExtensionMethod: true, Parameters.Length: > 1 } &&
        KnownTypes.IsOrImplements(target.Parameters[0].Type, _routeBuilder) &&
        target.Parameters.Any(p => KnownTypes.Is(p.Type, _delegate));

    /// <summary>The method a handler operation of <see cref="HandlerOf"/> is: the lambda's symbol, or the method group's method.</summary>
    public static IMethodSymbol? MethodOf(IOperation handler) => handler switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        IMethodReferenceOperation reference => reference.Method,
        _ => null,
    };

    /// <summary>The HTTP verb a <c>Map*</c> method maps (<c>MapPost</c> → <c>Post</c>), or null for <c>Map</c>/<c>MapMethods</c>.</summary>
    public static string? Verb(IMethodSymbol mapMethod) =>
        mapMethod.Name is "MapGet" or "MapPost" or "MapPut" or "MapDelete" or "MapPatch" ? mapMethod.Name.Substring(3) : null;
}
