using AuditGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Analyzers;

/// <summary>
/// Logged entry points: what the generator's entry-point parser skips is reported where the handler is mapped (minimal
/// APIs) or declared (controller actions, Razor Pages handlers), and [LogsActivity] on a handler that nothing can log is
/// AUD0008 with the reason.
/// </summary>
public sealed partial class UseCaseMappingAnalyzer
{
    private static void RegisterEntryPointActions(CompilationStartAnalysisContext start, KnownTypes known, EntryPoints entryPoints)
    {
        if (!entryPoints.MinimalApi.IsAvailable || !entryPoints.HttpResults.IsAvailable)
        {
            return;
        }

        start.RegisterOperationAction(context => AnalyzeMap(context, known, entryPoints), OperationKind.Invocation);
        start.RegisterOperationAction(context => AnalyzeLambda(context, known, entryPoints), OperationKind.AnonymousFunction);
    }

    /// <summary>A <c>Map*</c> call whose handler is logged: the handler's sources, and whether the call can be intercepted.</summary>
    private static void AnalyzeMap(OperationAnalysisContext context, KnownTypes known, EntryPoints entryPoints)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (entryPoints.MinimalApi.HandlerOf(invocation, out _) is not { } handler ||
            MinimalApiHandlers.MethodOf(handler) is not { } method ||
            KnownTypes.FindAttribute(method, known.LogsActivity) is not { } attribute)
        {
            return;
        }

        IMethodSymbol map = invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod;
        string? whyNot = !map.IsStatic || !entryPoints.HttpResults.TakesFilters(map.ReturnType)
            ? $"'{map.Name}' returns '{map.ReturnType.ToDisplayString()}', which takes no endpoint filter; map the handler with the framework's MapPost, MapPut, MapDelete, MapPatch or MapMethods"
            : !UseCaseParser.InterceptorsEnabled(invocation.Syntax.SyntaxTree.Options)
                ? "interceptors are not enabled in this project; add <InterceptorsNamespaces>$(InterceptorsNamespaces);AuditGen.Generated</InterceptorsNamespaces> (the AuditGen package does this for you)"
                : UseCaseParser.RequestDelegateGeneratorEnabled(invocation.Syntax.SyntaxTree.Options)
                    ? UseCaseParser.RequestDelegateGeneratorConflict
                    : null;
        if (whyNot is not null)
        {
            string handlerName = method.MethodKind == MethodKind.AnonymousFunction ? "the [LogsActivity] lambda" : method.Name;
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UninterceptableCall, invocation.Syntax.GetLocation(), "Map call", handlerName, whyNot));
            return;
        }

        UseCaseParser.ParseEntryPoint(method, attribute, known, entryPoints.HttpResults, action: false, context.ReportDiagnostic);
    }

    /// <summary>A logged lambda is logged only as a minimal-API handler passed to <c>Map*</c>.</summary>
    private static void AnalyzeLambda(OperationAnalysisContext context, KnownTypes known, EntryPoints entryPoints)
    {
        var lambda = (IAnonymousFunctionOperation)context.Operation;
        if (KnownTypes.FindAttribute(lambda.Symbol, known.LogsActivity) is not { } attribute)
        {
            return;
        }

        IOperation? parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation or IArgumentOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IInvocationOperation invocation && entryPoints.MinimalApi.HandlerOf(invocation, out _) is IAnonymousFunctionOperation mapped &&
            SymbolEqualityComparer.Default.Equals(mapped.Symbol, lambda.Symbol))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(Diagnostics.Unreachable, attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation(), "the lambda",
            "a lambda is logged only as a minimal-API handler passed to MapPost, MapPut, MapDelete, MapPatch or MapMethods; pass it to Map*, or log the method it calls"));
    }

    /// <summary>Controller actions and Razor Pages handlers marked [LogsActivity]: their sources, checked like a use case's.</summary>
    private static void AnalyzeLoggedActions(SymbolAnalysisContext context, INamedTypeSymbol type, KnownTypes known, EntryPoints entryPoints)
    {
        if (!entryPoints.HttpResults.HasMvc)
        {
            return;
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member is IMethodSymbol { IsStatic: false } method && KnownTypes.FindAttribute(method, known.LogsActivity) is { } attribute &&
                UseCaseParser.IsLoggedByFilter(method, entryPoints))
            {
                UseCaseParser.ParseEntryPoint(method, attribute, known, entryPoints.HttpResults, action: true, context.ReportDiagnostic);
            }
        }
    }
}
