using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AuditGen.Generators;

/// <summary>The use case's own members the generated code reaches (its log, its actor accessor), and whether it can take generated code.</summary>
internal static partial class UseCaseParser
{
    /// <summary>
    /// The use case's own member of <paramref name="type"/> kind (a primary constructor parameter, field or property),
    /// when the generator can add code to the class to reach it; otherwise null.
    /// </summary>
    public static string? FindMember(INamedTypeSymbol useCase, INamedTypeSymbol? type, bool requirePartial)
    {
        if (type is null || (requirePartial && WhyNotPartial(useCase) is not null))
        {
            return null;
        }

        for (INamedTypeSymbol? t = useCase; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
        {
            foreach (ISymbol member in t.GetMembers())
            {
                if (member.IsStatic || member.IsImplicitlyDeclared ||
                    (!SymbolEqualityComparer.Default.Equals(t, useCase) && member.DeclaredAccessibility == Accessibility.Private))
                {
                    continue;
                }

                ITypeSymbol? memberType = member switch
                {
                    IFieldSymbol f when f.AssociatedSymbol is null => f.Type,
                    IPropertySymbol { GetMethod: not null, IsIndexer: false } p => p.Type,
                    _ => null,
                };
                if (KnownTypes.IsOrImplements(memberType, type))
                {
                    return Names.Identifier(member.Name);
                }
            }
        }

        // A primary constructor parameter: in scope in every part of the partial class.
        foreach (SyntaxReference reference in useCase.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax { ParameterList: { } list })
            {
                IMethodSymbol? ctor = useCase.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == list.Parameters.Count &&
                    c.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax));
                IParameterSymbol? parameter = ctor?.Parameters.FirstOrDefault(p => KnownTypes.IsOrImplements(p.Type, type));
                if (parameter is not null)
                {
                    return Names.Identifier(parameter.Name);
                }
            }
        }

        return null;
    }

    /// <summary>Why a direct call to the type's logged methods cannot be intercepted in its own compilation; null when it can.</summary>
    public static string? WhyNotInterceptable(INamedTypeSymbol type, KnownTypes known) =>
        WhyNotPartial(type) ?? (FindMember(type, known.Log, requirePartial: false) is null
            ? $"class '{type.Name}' has no IActivityLogRepo constructor parameter, field or property"
            : null);

    /// <summary>Why the generator cannot add a part to the class; null when it can.</summary>
    private static string? WhyNotPartial(INamedTypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Class)
        {
            return $"'{type.Name}' is not a class";
        }

        if (type.ContainingType is not null)
        {
            return $"class '{type.Name}' is nested in another type";
        }

        if (type.IsGenericType)
        {
            return $"class '{type.Name}' is generic";
        }

        bool partial = type.DeclaringSyntaxReferences.Any(r =>
            r.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(m => m.IsKind(SyntaxKind.PartialKeyword)));
        return partial ? null : $"class '{type.Name}' is not partial";
    }
}
