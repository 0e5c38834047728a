using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Logged entry points: a minimal-API handler (a lambda or a method group passed to <c>Map*</c>), a controller action or a
/// Razor Pages handler. The record's fields come from the same sources as a use case's (<see cref="ParseFields"/>), over
/// the handler's parameters and the value its successful result carries; the handler may be synchronous, since the
/// generated filter is asynchronous around it.
/// </summary>
internal static partial class UseCaseParser
{
    /// <summary>The model of a logged entry point, or null (with its problems reported) when it cannot be logged.</summary>
    public static EntryPointMethodModel? ParseEntryPoint(IMethodSymbol handler, AttributeData attribute, KnownTypes known, HttpResultShapes shapes,
        bool action, Action<Diagnostic>? report)
    {
        var problems = new ParseProblems(report);
        Location? at = AttributeLocation(attribute) ?? handler.Locations.FirstOrDefault();
        string name = DisplayName(handler);
        string actionName = attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string a ? a : "";
        if (!IsValidAction(actionName))
        {
            problems.Add(Diagnostics.InvalidAction, at, actionName);
        }

        if (handler.IsGenericMethod || handler.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.IsRefLikeType))
        {
            problems.Add(Diagnostics.Unreachable, at, name, handler.IsGenericMethod
                ? "it is generic; give it concrete parameter types"
                : "it takes a ref, out, in or ref struct parameter, which an endpoint filter cannot read");
            return null;
        }

        (ResultValueKind kind, ITypeSymbol? value, string? whyNot) = shapes.ValueOf(handler.ReturnType, known, action);
        if (whyNot is not null)
        {
            problems.Add(Diagnostics.Unreachable, at, name, whyNot);
            return null;
        }

        ITypeSymbol? valueType = value?.WithNullableAnnotation(NullableAnnotation.NotAnnotated);
        LoggedMethodModel? method = ParseFields(handler, attribute, actionName, at, ReturnKind.Task, valueType, known, problems);
        if (method is null || problems.Any)
        {
            return null;
        }

        // Read only what the record needs: the parameters its expressions name, and the result's value when one reads it.
        var expressions = new List<string?> { method.ActorExpression, method.OwnerExpression, method.EntityIdExpression };
        expressions.AddRange(method.Metadata.Select(m => m.Expression));
        string all = string.Join("\n", expressions.Where(e => e is not null));
        var read = new List<int>();
        for (int i = 0; i < method.Parameters.Count; i++)
        {
            if (Regex.IsMatch(all, $@"(?<![\w.@]){Regex.Escape(method.Parameters[i].Name)}\b"))
            {
                read.Add(i);
            }
        }

        bool readsResult = valueType is not null && Regex.IsMatch(all, $@"(?<![\w.@]){Regex.Escape(method.Locals.Result)}\b");
        return new EntryPointMethodModel(
            method,
            readsResult ? kind : ResultValueKind.None,
            readsResult ? valueType!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) : null,
            read.ToEquatableArray());
    }

    /// <summary>
    /// Whether a logged method is logged by a generated filter rather than as a use case: a static method in a compilation
    /// with minimal APIs (a handler mapped with <c>Map*</c>; the only way a static method can be logged), a controller action,
    /// or a Razor Pages handler.
    /// </summary>
    public static bool IsLoggedByFilter(IMethodSymbol method, EntryPoints entryPoints) =>
        method.IsStatic && entryPoints.MinimalApi.IsAvailable && entryPoints.HttpResults.IsAvailable ||
        !method.IsStatic && entryPoints.HttpResults.HasMvc &&
        entryPoints.Classify(method) is EntryPointKind.ControllerAction or EntryPointKind.RazorPageHandler;

    /// <summary>How diagnostics name a handler: its method name, or "the lambda" for an anonymous one.</summary>
    private static string DisplayName(IMethodSymbol handler) =>
        handler.MethodKind == MethodKind.AnonymousFunction ? "the lambda handler" : handler.Name;
}
