using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// What an HTTP entry point's result carries when it succeeds, by metadata name (no reference to ASP.NET Core): a minimal-API
/// handler's <c>TypedResults.Created&lt;T&gt;</c>/<c>Ok&lt;T&gt;</c> (<c>IValueHttpResult&lt;T&gt;</c>), a <c>Results&lt;…&gt;</c> of
/// them and of failures (<c>NotFound</c>, <c>BadRequest</c>, <c>ProblemHttpResult</c>, <c>ValidationProblem</c>…), a controller
/// action's <c>ActionResult&lt;T&gt;</c>, or a plain value that is serialized as it is.
/// </summary>
internal sealed class HttpResultShapes(Compilation compilation)
{
    private static readonly string[] FailureNames =
    [
        "NotFound", "BadRequest", "Conflict", "UnprocessableEntity", "ProblemHttpResult", "ValidationProblem", "UnauthorizedHttpResult",
        "ForbidHttpResult", "InternalServerError",
    ];

    private readonly INamedTypeSymbol? _result = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.IResult");
    private readonly INamedTypeSymbol? _valueResult = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Http.IValueHttpResult`1");
    private readonly INamedTypeSymbol? _actionResultOfT = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ActionResult`1");
    private readonly INamedTypeSymbol? _actionResult = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.IActionResult");
    private readonly INamedTypeSymbol? _conventionBuilder = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Builder.IEndpointConventionBuilder");

    /// <summary>Whether the compilation references ASP.NET Core's HTTP results (minimal APIs).</summary>
    public bool IsAvailable => _result is not null && _valueResult is not null && _conventionBuilder is not null;

    /// <summary>Whether the compilation references MVC (controllers, Razor Pages).</summary>
    public bool HasMvc => _actionResult is not null;

    /// <summary>Whether a <c>Map*</c> method's return type takes endpoint filters (<c>RouteHandlerBuilder</c>).</summary>
    public bool TakesFilters(ITypeSymbol type) => KnownTypes.IsOrImplements(type, _conventionBuilder);

    /// <summary>
    /// The value a successful result of <paramref name="returnType"/> carries, and how the generated filter reads it; a
    /// reason when the shape cannot be logged (two successes carrying different values). <paramref name="action"/>: an MVC
    /// action or page handler, whose plain value comes back as an <c>ObjectResult</c>.
    /// </summary>
    public (ResultValueKind Kind, ITypeSymbol? Value, string? WhyNot) ValueOf(ITypeSymbol returnType, KnownTypes known, bool action)
    {
        ITypeSymbol type = UseCaseParser.GetReturnKind(returnType, known, out ITypeSymbol? awaited) is null ? returnType : awaited ?? returnType;
        if (type.SpecialType == SpecialType.System_Void || KnownTypes.Is(type, known.Task) || KnownTypes.Is(type, known.ValueTask) ||
            type.SpecialType == SpecialType.System_Object || type.TypeKind is TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Dynamic)
        {
            return (ResultValueKind.None, null, null);
        }

        if (type is INamedTypeSymbol { IsGenericType: true } generic && KnownTypes.Is(generic.OriginalDefinition, _actionResultOfT))
        {
            return (ResultValueKind.ActionValue, generic.TypeArguments[0], null);
        }

        if (KnownTypes.IsOrImplements(type, _actionResult))
        {
            return (ResultValueKind.None, null, null);
        }

        if (!KnownTypes.IsOrImplements(type, _result))
        {
            return (action ? ResultValueKind.ActionValue : ResultValueKind.Itself, type, null);
        }

        if (type is INamedTypeSymbol { Name: "Results", IsGenericType: true } results &&
            results.ContainingNamespace.ToDisplayString() == "Microsoft.AspNetCore.Http.HttpResults")
        {
            var values = results.TypeArguments.Where(t => !IsFailure(t)).Select(HttpValue).ToList();
            if (values.Any(v => v is null))
            {
                return (ResultValueKind.None, null, null);
            }

            ITypeSymbol[] distinct = [.. values.Distinct<ITypeSymbol?>(SymbolEqualityComparer.Default)!];
            return distinct.Length == 1
                ? (ResultValueKind.HttpValue, distinct[0], null)
                : (ResultValueKind.None, null, $"its successful results carry different values ({string.Join(", ", distinct.Select(d => d.ToDisplayString()))}); return one type, or mark the entity id on a parameter with [EntityId]");
        }

        return !IsFailure(type) && HttpValue(type) is { } value ? (ResultValueKind.HttpValue, value, null) : (ResultValueKind.None, null, null);
    }

    private ITypeSymbol? HttpValue(ITypeSymbol type) =>
        type.AllInterfaces.Concat(type is INamedTypeSymbol { TypeKind: TypeKind.Interface } self ? [self] : [])
            .FirstOrDefault(i => KnownTypes.Is(i.OriginalDefinition, _valueResult))?.TypeArguments[0];

    private static bool IsFailure(ITypeSymbol type) => FailureNames.Contains(type.Name) &&
        type.ContainingNamespace?.ToDisplayString() == "Microsoft.AspNetCore.Http.HttpResults";
}

/// <summary>How generated entry-point code reads the value a successful result carries.</summary>
internal enum ResultValueKind
{
    /// <summary>No value is read (none is carried, or none is needed).</summary>
    None,

    /// <summary>The handler returns the value itself (serialized as JSON).</summary>
    Itself,

    /// <summary>An <c>IValueHttpResult&lt;T&gt;</c> (<c>Created&lt;T&gt;</c>, <c>Ok&lt;T&gt;</c>), possibly inside <c>Results&lt;…&gt;</c>.</summary>
    HttpValue,

    /// <summary>An MVC <c>ObjectResult</c>'s value (<c>ActionResult&lt;T&gt;</c>, <c>CreatedAtAction</c>, <c>Ok(value)</c>).</summary>
    ActionValue,
}
