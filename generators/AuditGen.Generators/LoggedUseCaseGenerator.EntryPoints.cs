using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// Logged entry points: <c>Map*</c> calls whose handler is <c>[LogsActivity]</c> are intercepted to attach a generated
/// endpoint filter. Nothing is emitted unless the compilation references ASP.NET Core.
/// </summary>
public sealed partial class LoggedUseCaseGenerator
{
    /// <summary>The names of the entry-point pipeline steps, for incremental-caching tests.</summary>
    public static class EntryPointSteps
    {
        public const string MappedEndpoints = nameof(MappedEndpoints);
        public const string CollectedMappedEndpoints = nameof(CollectedMappedEndpoints);
        public const string LoggedActions = nameof(LoggedActions);
        public const string CollectedLoggedActions = nameof(CollectedLoggedActions);
    }

    /// <summary>
    /// Logged controller actions and Razor Pages handlers, for their filters (<c>AuditGen.Actions.g.cs</c>) and for
    /// <c>AddLoggedUseCases()</c>, which registers the convention that attaches them.
    /// </summary>
    private static IncrementalValueProvider<EquatableArray<LoggedActionModel>> LoggedActions(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<LoggedActionModel>> actions = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.LogsActivityAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (context, _) => ParseLoggedAction(context))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(EntryPointSteps.LoggedActions)
            .Collect()
            .Select(static (models, _) => models
                .OrderBy(m => m.ContainingType, StringComparer.Ordinal)
                .ThenBy(m => m.MethodName, StringComparer.Ordinal)
                .ThenBy(m => string.Join(",", m.ParameterTypes), StringComparer.Ordinal)
                .ToEquatableArray())
            .WithTrackingName(EntryPointSteps.CollectedLoggedActions);

        context.RegisterSourceOutput(actions, static (context, actions) =>
        {
            if (actions.Count > 0)
            {
                context.AddSource("AuditGen.Actions.g.cs", Emitter.Actions(actions));
            }
        });

        return actions;
    }

    private static LoggedActionModel? ParseLoggedAction(GeneratorAttributeSyntaxContext context)
    {
        if (context.TargetSymbol is not IMethodSymbol { IsStatic: false } method || context.Attributes.Length == 0)
        {
            return null;
        }

        Compilation compilation = context.SemanticModel.Compilation;
        KnownTypes known = KnownTypes.From(compilation);
        EntryPoints entryPoints = EntryPoints.From(compilation);
        if (!known.IsAvailable || !UseCaseParser.IsLoggedByFilter(method, entryPoints) ||
            UseCaseParser.ParseEntryPoint(method, context.Attributes[0], known, entryPoints.HttpResults, action: true, report: null) is not { } model)
        {
            return null;
        }

        return new LoggedActionModel(
            entryPoints.Classify(method) == EntryPointKind.RazorPageHandler,
            method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            method.Name,
            method.Parameters.Select(p => p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)).ToEquatableArray(),
            model);
    }

    private static IncrementalValueProvider<EquatableArray<MappedEndpointModel>> MappedEndpoints(IncrementalGeneratorInitializationContext context,
        IncrementalValueProvider<bool> interceptorsEnabled)
    {
        IncrementalValueProvider<EquatableArray<MappedEndpointModel>> endpoints = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => MayMapLoggedHandler(node),
                static (context, cancellationToken) => ParseMappedEndpoint(context, cancellationToken))
            .Where(static endpoint => endpoint is not null)
            .Select(static (endpoint, _) => endpoint!)
            .WithTrackingName(EntryPointSteps.MappedEndpoints)
            .Collect()
            .Select(static (models, _) => models.ToEquatableArray())
            .WithTrackingName(EntryPointSteps.CollectedMappedEndpoints);

        context.RegisterSourceOutput(endpoints.Combine(interceptorsEnabled), static (context, input) =>
        {
            if (input.Left.Count > 0 && input.Right)
            {
                context.AddSource("AuditGen.Endpoints.g.cs", Emitter.Endpoints(input.Left));
            }
        });

        return endpoints;
    }

    /// <summary>
    /// Syntax only: a <c>Map*</c> call with an argument that can be a logged handler — a lambda with attributes, or a name
    /// (a method group). Everything else is never bound.
    /// </summary>
    private static bool MayMapLoggedHandler(SyntaxNode node) =>
        node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: { } name }, ArgumentList.Arguments: { Count: >= 2 } arguments } &&
        name.StartsWith("Map", StringComparison.Ordinal) &&
        arguments.Any(a => a.Expression is LambdaExpressionSyntax { AttributeLists.Count: > 0 } or IdentifierNameSyntax or MemberAccessExpressionSyntax);

    private static MappedEndpointModel? ParseMappedEndpoint(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        if (context.SemanticModel.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        Compilation compilation = context.SemanticModel.Compilation;
        KnownTypes known = KnownTypes.From(compilation);
        EntryPoints entryPoints = EntryPoints.From(compilation);
        if (!known.IsAvailable || !entryPoints.MinimalApi.IsAvailable || !entryPoints.HttpResults.IsAvailable ||
            entryPoints.MinimalApi.HandlerOf(operation, out string? route) is not { } handler ||
            MinimalApiHandlers.MethodOf(handler) is not { } method ||
            KnownTypes.FindAttribute(method, known.LogsActivity) is not { } attribute)
        {
            return null;
        }

        IMethodSymbol map = operation.TargetMethod.ReducedFrom ?? operation.TargetMethod;
        if (!map.IsStatic || !entryPoints.HttpResults.TakesFilters(map.ReturnType) ||
            UseCaseParser.ParseEntryPoint(method, attribute, known, entryPoints.HttpResults, action: false, report: null) is not { } model ||
            context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        string display = location.GetDisplayLocation();
        int separator = display.LastIndexOfAny(['/', '\\']);
        return new MappedEndpointModel(
            location.Version,
            location.Data,
            separator >= 0 ? display.Substring(separator + 1) : display,
            $"{map.ContainingType.ToDisplayString(UseCaseParser.TypeFormat)}.{map.Name}",
            map.ReturnType.ToDisplayString(UseCaseParser.TypeFormat),
            map.Parameters.Select(p => new ParameterModel(Names.Identifier(p.Name), p.Type.ToDisplayString(UseCaseParser.TypeFormat), p.IsParams ? "params " : "")).ToEquatableArray(),
            model,
            (method.MethodKind == MethodKind.AnonymousFunction ? context.SemanticModel.GetEnclosingSymbol(invocation.SpanStart, cancellationToken)?.ContainingType : method.ContainingType)
                ?.ToDisplayString() ?? "",
            method.MethodKind == MethodKind.AnonymousFunction ? $"{map.Name} {route}" : method.Name);
    }
}
