using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// A kind of entry point declared by a method of a type (a controller's action, a consumer's <c>Consume</c>): one per
/// file in this folder, its framework types resolved by metadata name when constructed (once per compilation).
/// </summary>
internal interface IEntryPointRule
{
    EntryPointKind Kind { get; }

    /// <summary>Cheap, per type: whether <paramref name="type"/> can declare entry points of this kind at all.</summary>
    bool MayDeclare(INamedTypeSymbol type);

    /// <summary>Whether <paramref name="method"/>, declared by a type that <see cref="MayDeclare"/>, is such an entry point.</summary>
    bool IsEntryPoint(IMethodSymbol method);
}

/// <summary>Symbol helpers the entry-point rules share.</summary>
internal static class EntryPointSymbols
{
    /// <summary>The framework types of <paramref name="names"/> the compilation references (the others are skipped).</summary>
    public static ImmutableArray<INamedTypeSymbol> Resolve(Compilation compilation, params string[] names) =>
        [.. names.Select(compilation.GetTypeByMetadataName).Where(t => t is not null)!];

    /// <summary>Whether <paramref name="type"/> derives from one of <paramref name="bases"/> (their original definitions).</summary>
    public static bool DerivesFrom(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> bases)
    {
        if (bases.IsEmpty)
        {
            return false;
        }

        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (bases.Contains(t.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="method"/> implements a member of one of the generic interfaces <paramref name="interfaces"/> named <paramref name="member"/>.</summary>
    public static bool Implements(IMethodSymbol method, ImmutableArray<INamedTypeSymbol> interfaces, string member)
    {
        if (interfaces.IsEmpty || method.IsStatic)
        {
            return false;
        }

        foreach (INamedTypeSymbol itf in method.ContainingType.AllInterfaces)
        {
            if (!interfaces.Contains(itf.OriginalDefinition, SymbolEqualityComparer.Default))
            {
                continue;
            }

            foreach (ISymbol declared in itf.GetMembers(member))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(declared), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> implements one of <paramref name="interfaces"/> (original definitions).</summary>
    public static bool ImplementsAny(INamedTypeSymbol type, ImmutableArray<INamedTypeSymbol> interfaces) =>
        !interfaces.IsEmpty && type.AllInterfaces.Any(i => interfaces.Contains(i.OriginalDefinition, SymbolEqualityComparer.Default));

    /// <summary>Whether <paramref name="symbol"/> or (for a type) a base type carries <paramref name="attribute"/>.</summary>
    public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute, bool inherited = false)
    {
        if (attribute is null)
        {
            return false;
        }

        for (ISymbol? s = symbol; s is not null; s = inherited && s is INamedTypeSymbol t ? t.BaseType : null)
        {
            if (s.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
            {
                return true;
            }
        }

        return false;
    }
}
