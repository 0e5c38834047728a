using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// The shapes of real codebases: entity ids of every common type (integers, strongly typed ids), results wrapped in a
/// success/failure type, overloads told apart, and the entity type rule shared with the runtime.
/// </summary>
internal static partial class UseCaseParser
{
    /// <summary>The method's name with its parameter types: what links an interface member to its logged overload.</summary>
    private static string UniqueId(IMethodSymbol method, List<ParameterModel> parameters) =>
        $"{method.Name}({string.Join(", ", parameters.Select(p => p.Modifier + p.Type))})";

    /// <summary>
    /// How an id of this type is written into <c>EntityRef</c>: "" for a Guid, a non-nullable string or an integer (the
    /// constructors format them invariantly), ".Value" for a strongly typed id (Vogen, StronglyTypedId, a hand-written
    /// wrapper: a type whose one public instance property is <c>Value</c> of those types), null when it is no id.
    /// </summary>
    internal static string? IdFormat(ITypeSymbol type, KnownTypes known)
    {
        if (IsPlainId(type, known))
        {
            return "";
        }

        if (type.TypeKind is TypeKind.Struct or TypeKind.Class && type.SpecialType == SpecialType.None &&
            type.NullableAnnotation != NullableAnnotation.Annotated && !KnownTypes.Is(type, known.CancellationToken))
        {
            IPropertySymbol[] properties = [.. type.GetMembers().OfType<IPropertySymbol>()
                .Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public)];
            if (properties is [{ Name: "Value", GetMethod: not null } value] && IsPlainId(value.Type, known))
            {
                return ".Value";
            }
        }

        return null;
    }

    private static bool IsPlainId(ITypeSymbol type, KnownTypes known) =>
        KnownTypes.Is(type, known.Guid) ||
        type.SpecialType == SpecialType.System_String && type.NullableAnnotation != NullableAnnotation.Annotated ||
        type.SpecialType is SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16 or
            SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64;

    /// <summary>The entity a strongly typed id names: <c>ContributorId</c> → <c>Contributor</c>.</summary>
    private static string? StronglyTypedEntityName(ITypeSymbol type, string? format) =>
        format == ".Value" && type.Name.Length > 2 && type.Name.EndsWith("Id", StringComparison.Ordinal) ? type.Name.Substring(0, type.Name.Length - 2) : null;

    /// <summary>
    /// A success/failure wrapper: the shape the compilation declares for it with <c>[assembly: ActivityResultShape]</c>,
    /// else a <c>bool IsSuccess</c> (or <c>IsFailure</c>, <c>IsError</c>) and a <c>Value</c>. Returns the value's type, the C#
    /// condition over the <paramref name="result"/> local that says the use case failed, and the value's property.
    /// </summary>
    internal static (ITypeSymbol ValueType, string FailureCondition, string ValueProperty)? ResultWrapper(ITypeSymbol type, KnownTypes known, string result)
    {
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || type.SpecialType != SpecialType.None)
        {
            return null;
        }

        foreach (KnownTypes.ResultShape shape in known.ResultShapes)
        {
            if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, shape.Type) &&
                FindInstanceProperty(type, shape.ValueProperty) is { } declaredValue &&
                (shape.SuccessProperty ?? shape.FailureProperty) is { } flag &&
                FindInstanceProperty(type, flag) is { Type.SpecialType: SpecialType.System_Boolean })
            {
                return (declaredValue.Type, shape.SuccessProperty is not null ? $"!{result}.{Names.Identifier(flag)}" : $"{result}.{Names.Identifier(flag)}", declaredValue.Name);
            }
        }

        IPropertySymbol? value = FindInstanceProperty(type, "Value");
        if (value is null)
        {
            return null;
        }

        foreach ((string name, string condition) in new[] { ("IsSuccess", $"!{result}.IsSuccess"), ("IsFailure", $"{result}.IsFailure"), ("IsError", $"{result}.IsError") })
        {
            if (FindInstanceProperty(type, name) is { Type.SpecialType: SpecialType.System_Boolean })
            {
                return (value.Type, condition, value.Name);
            }
        }

        return null;
    }

    private static IPropertySymbol? FindInstanceProperty(ITypeSymbol type, string name)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (t.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault(p => !p.IsStatic && p.GetMethod is not null &&
                    p.DeclaredAccessibility is Accessibility.Public or Accessibility.Internal) is { } property)
            {
                return property;
            }
        }

        return null;
    }
}
