using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// MVC and API controller actions: the public instance methods of a controller — a class deriving from
/// <c>ControllerBase</c>, marked <c>[ApiController]</c>/<c>[Controller]</c> (on it or a base), or a public class named
/// <c>*Controller</c> when MVC is referenced — except <c>[NonAction]</c> methods, <c>[NonController]</c> types and
/// overrides of the framework's own members (<c>OnActionExecuting</c>, <c>Dispose</c>).
/// </summary>
internal sealed class ControllerActions(Compilation compilation) : IEntryPointRule
{
    private readonly ImmutableArray<INamedTypeSymbol> _bases = EntryPointSymbols.Resolve(compilation, "Microsoft.AspNetCore.Mvc.ControllerBase");
    private readonly ImmutableArray<INamedTypeSymbol> _framework = EntryPointSymbols.Resolve(compilation, "Microsoft.AspNetCore.Mvc.ControllerBase", "Microsoft.AspNetCore.Mvc.Controller");
    private readonly INamedTypeSymbol? _apiController = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ApiControllerAttribute");
    private readonly INamedTypeSymbol? _controller = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.ControllerAttribute");
    private readonly INamedTypeSymbol? _nonController = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.NonControllerAttribute");
    private readonly INamedTypeSymbol? _nonAction = compilation.GetTypeByMetadataName("Microsoft.AspNetCore.Mvc.NonActionAttribute");

    public EntryPointKind Kind => EntryPointKind.ControllerAction;

    public bool MayDeclare(INamedTypeSymbol type) =>
        !_bases.IsEmpty && type is { TypeKind: TypeKind.Class, IsStatic: false } &&
        !EntryPointSymbols.HasAttribute(type, _nonController, inherited: true) &&
        (EntryPointSymbols.DerivesFrom(type, _bases) ||
         EntryPointSymbols.HasAttribute(type, _apiController, inherited: true) ||
         EntryPointSymbols.HasAttribute(type, _controller, inherited: true) ||
         (type.DeclaredAccessibility == Accessibility.Public && type.Name.EndsWith("Controller", System.StringComparison.Ordinal)));

    public bool IsEntryPoint(IMethodSymbol method) =>
        method is { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public, IsGenericMethod: false } &&
        !EntryPointSymbols.HasAttribute(method, _nonAction) &&
        !OverridesFrameworkMember(method) && method.Name != "Dispose";

    /// <summary><c>OnActionExecuting</c>, <c>ToString</c>: an override of what <c>Controller</c> or <c>object</c> declares.</summary>
    private bool OverridesFrameworkMember(IMethodSymbol method)
    {
        IMethodSymbol? root = method.IsOverride ? method.OverriddenMethod : null;
        while (root?.OverriddenMethod is { } further)
        {
            root = further;
        }

        return root is not null &&
            (root.ContainingType.SpecialType == SpecialType.System_Object || _framework.Contains(root.ContainingType.OriginalDefinition, SymbolEqualityComparer.Default));
    }
}
