using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>Where a record's fields come from: attributed sources among a method's parameters, their properties and its result.</summary>
internal static partial class UseCaseParser
{
    /// <summary>A candidate source: an expression over the parameters or the result, and its type.</summary>
    private sealed record Source(string Expression, ITypeSymbol Type, string? HolderTypeName, ISymbol Symbol, AttributeData? Attribute = null, bool NullableHolder = false);

    /// <summary>Finds attributed sources among a method's parameters, their properties and its result's properties.</summary>
    private sealed class SourceContext(IMethodSymbol method, ITypeSymbol? resultType, string resultExpression, KnownTypes known, Location? logsActivity,
        ParseProblems problems)
    {
        public KnownTypes Known => known;

        /// <summary>Where a problem with a source is reported: its own attribute, else the [LogsActivity] attribute.</summary>
        public Location? LocationOf(Source source) =>
            source.Attribute is { } attribute && AttributeLocation(attribute) is { IsInSource: true } location ? location : logsActivity;

        public IEnumerable<Source> All(INamedTypeSymbol? attribute)
        {
            if (attribute is null)
            {
                yield break;
            }

            foreach (IParameterSymbol p in method.Parameters)
            {
                if (KnownTypes.FindAttribute(p, attribute) is { } onParameter)
                {
                    yield return new Source(Names.Identifier(p.Name), p.Type, null, p, onParameter);
                }

                foreach (Source s in Properties(p.Type, Names.Identifier(p.Name), p, attribute))
                {
                    yield return s;
                }
            }

            if (resultType is not null)
            {
                foreach (Source s in Properties(resultType, resultExpression, method, attribute))
                {
                    yield return s;
                }
            }
        }

        public Source? Single(INamedTypeSymbol? attribute, string name)
        {
            List<Source> sources = All(attribute).ToList();
            if (sources.Count > 1)
            {
                problems.Add(Diagnostics.AmbiguousSource, LocationOf(sources[1]), method.Name, sources.Count, name,
                    string.Join(", ", sources.Select(s => s.Expression)));
            }

            return sources.FirstOrDefault();
        }

        public Source? ResultProperty(string name)
        {
            if (resultType is null)
            {
                return null;
            }

            IPropertySymbol? property = FindProperty(resultType, name);
            return property is null
                ? null
                : new Source($"{resultExpression}.{Names.Identifier(property.Name)}", property.Type, resultType.Name, property,
                    NullableHolder: resultType.NullableAnnotation == NullableAnnotation.Annotated);
        }

        /// <summary>The result itself, when it is an id (a create that returns the new id).</summary>
        public Source? ResultItself(Func<ITypeSymbol, bool> isId) =>
            resultType is not null && isId(resultType) ? new Source(resultExpression, resultType, null, method) : null;

        /// <summary>
        /// The one parameter (the request or command) with a property <paramref name="name"/> that <paramref name="fits"/>;
        /// two such parameters are ambiguous.
        /// </summary>
        public Source? ParameterProperty(string name, Func<ITypeSymbol, bool> fits)
        {
            var sources = new List<Source>();
            foreach (IParameterSymbol p in method.Parameters)
            {
                if (p.Type.SpecialType == SpecialType.None && p.Type.TypeKind is TypeKind.Class or TypeKind.Struct && !fits(p.Type) &&
                    FindProperty(p.Type, name) is { } property && fits(property.Type))
                {
                    sources.Add(new Source($"{Names.Identifier(p.Name)}.{Names.Identifier(property.Name)}", property.Type, null, property,
                        NullableHolder: p.Type.NullableAnnotation == NullableAnnotation.Annotated));
                }
            }

            if (sources.Count > 1)
            {
                problems.Add(Diagnostics.AmbiguousSource, logsActivity, method.Name, sources.Count, "EntityId",
                    string.Join(", ", sources.Select(s => s.Expression)));
            }

            return sources.FirstOrDefault();
        }

        /// <summary>A parameter with one of the given names, such as <c>id</c> or <c>taskId</c>.</summary>
        public Source? ParameterNamed(params string?[] names) =>
            method.Parameters.FirstOrDefault(p => names.Contains(p.Name)) is { } parameter
                ? new Source(Names.Identifier(parameter.Name), parameter.Type, null, parameter)
                : null;

        public bool CheckGuid(Source source, string role)
        {
            if (KnownTypes.Is(source.Type, known.Guid) && !source.NullableHolder)
            {
                return true;
            }

            problems.Add(Diagnostics.WrongSourceType, LocationOf(source), role, source.Expression, method.Name, source.Type.ToDisplayString(),
                source.NullableHolder ? "read from a non-nullable value" : "a Guid");
            return false;
        }

        private IEnumerable<Source> Properties(ITypeSymbol holder, string prefix, ISymbol owner, INamedTypeSymbol attribute)
        {
            if (holder.SpecialType != SpecialType.None || holder.TypeKind is not (TypeKind.Class or TypeKind.Struct) ||
                KnownTypes.Is(holder, known.CancellationToken))
            {
                yield break;
            }

            bool nullable = holder.NullableAnnotation == NullableAnnotation.Annotated;
            var seen = new HashSet<string>();
            for (ITypeSymbol? t = holder; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                foreach (IPropertySymbol property in t.GetMembers().OfType<IPropertySymbol>())
                {
                    if (!property.IsStatic && !property.IsIndexer && property.GetMethod is not null &&
                        property.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal &&
                        seen.Add(property.Name) &&
                        KnownTypes.FindAttribute(property, attribute) is { } data)
                    {
                        string access = nullable && ReferenceEquals(attribute, known.Metadata) ? "?." : ".";
                        yield return new Source($"{prefix}{access}{Names.Identifier(property.Name)}", property.Type, holder.Name, property, data, nullable);
                    }
                }
            }
        }

        private static IPropertySymbol? FindProperty(ITypeSymbol type, string name)
        {
            for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
            {
                if (t.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic && p.GetMethod is not null) is { } property)
                {
                    return property;
                }
            }

            return null;
        }
    }
}
