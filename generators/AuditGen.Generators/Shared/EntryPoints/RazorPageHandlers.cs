using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Razor Pages handlers: the public <c>On{Verb}[Handler][Async]</c> methods of a <c>PageModel</c>
/// (<c>OnPostAsync</c>, <c>OnPostDeleteAsync</c>, <c>OnGet</c>). Handlers that only read are never reported, as any
/// entry point; the <c>OnPageHandler*</c> filter overrides are not handlers.
/// </summary>
internal sealed class RazorPageHandlers(Compilation compilation) : IEntryPointRule
{
    private static readonly string[] Verbs = ["Get", "Post", "Put", "Delete", "Patch", "Head", "Options"];

    private readonly ImmutableArray<INamedTypeSymbol> _bases = EntryPointSymbols.Resolve(compilation, "Microsoft.AspNetCore.Mvc.RazorPages.PageModel");

    public EntryPointKind Kind => EntryPointKind.RazorPageHandler;

    public bool MayDeclare(INamedTypeSymbol type) => type.TypeKind == TypeKind.Class && EntryPointSymbols.DerivesFrom(type, _bases);

    public bool IsEntryPoint(IMethodSymbol method)
    {
        if (method is not { MethodKind: MethodKind.Ordinary, IsStatic: false, DeclaredAccessibility: Accessibility.Public, IsOverride: false } ||
            !method.Name.StartsWith("On", System.StringComparison.Ordinal))
        {
            return false;
        }

        foreach (string verb in Verbs)
        {
            if (string.CompareOrdinal(method.Name, 2, verb, 0, verb.Length) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
