using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AuditGen.Generators;

/// <summary>
/// Generates, for every use case marked <c>[LogsActivity]</c>: logging decorators of its interfaces with
/// <c>AddLoggedUseCases()</c>, interceptors for direct calls to it, and the assembly's action catalog.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class LoggedUseCaseGenerator : IIncrementalGenerator
{
    /// <summary>The names of the pipeline steps, for incremental-caching tests.</summary>
    public static class Steps
    {
        public const string UseCases = nameof(UseCases);
        public const string CollectedUseCases = nameof(CollectedUseCases);
        public const string Calls = nameof(Calls);
        public const string CollectedCalls = nameof(CollectedCalls);
        public const string Options = nameof(Options);
        public const string InterceptorsEnabled = nameof(InterceptorsEnabled);
        public const string EndpointsInterceptable = nameof(EndpointsInterceptable);
        public const string BulkWrites = nameof(BulkWrites);
        public const string CollectedBulkWrites = nameof(CollectedBulkWrites);
    }

    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<EquatableArray<UseCaseModel>> useCases = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownTypes.LogsActivityAttribute,
                static (node, _) => node is MethodDeclarationSyntax or TypeDeclarationSyntax,
                static (context, cancellationToken) => ParseUseCase(context, cancellationToken))
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(Steps.UseCases)
            .Collect()
            .Select(static (models, _) => models
                .GroupBy(m => m.FullyQualifiedName)
                .Select(g => g.First())
                .OrderBy(m => m.FullyQualifiedName, System.StringComparer.Ordinal)
                .ToEquatableArray())
            .WithTrackingName(Steps.CollectedUseCases);

        IncrementalValueProvider<bool> interceptorsEnabled = context.ParseOptionsProvider
            .Select(static (options, _) => UseCaseParser.InterceptorsEnabled(options))
            .WithTrackingName(Steps.InterceptorsEnabled);

        IncrementalValueProvider<EquatableArray<InterceptedCallModel>> calls = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax },
                static (context, cancellationToken) => ParseCall(context, cancellationToken))
            .Where(static call => call is not null)
            .Select(static (call, _) => call!)
            .WithTrackingName(Steps.Calls)
            .Collect()
            .Select(static (models, _) => models.ToEquatableArray())
            .WithTrackingName(Steps.CollectedCalls);

        IncrementalValueProvider<RegistrationOptionsModel> options = context.CompilationProvider
            .Select(static (compilation, _) => ReadOptions(compilation))
            .WithTrackingName(Steps.Options);

        context.RegisterSourceOutput(useCases, static (context, useCases) =>
        {
            foreach (UseCaseModel useCase in useCases)
            {
                context.AddSource(HintName(useCase.FullyQualifiedName, "LoggedUseCase"), Emitter.UseCase(useCase));
            }
        });

        // Entry points: minimal-API handlers (Map* calls intercepted), controller actions and page handlers (filters).
        IncrementalValueProvider<EquatableArray<LoggedActionModel>> actions = LoggedActions(context);
        IncrementalValueProvider<bool> endpointsInterceptable = context.ParseOptionsProvider
            .Select(static (options, _) => UseCaseParser.InterceptorsEnabled(options) && !UseCaseParser.RequestDelegateGeneratorEnabled(options))
            .WithTrackingName(Steps.EndpointsInterceptable);
        IncrementalValueProvider<EquatableArray<MappedEndpointModel>> endpoints = MappedEndpoints(context, endpointsInterceptable);
        context.RegisterSourceOutput(useCases.Combine(actions).Combine(endpoints).Combine(options), static (context, input) =>
        {
            (((EquatableArray<UseCaseModel> useCases, EquatableArray<LoggedActionModel> actions), EquatableArray<MappedEndpointModel> endpoints),
                RegistrationOptionsModel options) = input;
            if (useCases.Count > 0 || actions.Count > 0 || endpoints.Count > 0)
            {
                context.AddSource("AuditGen.Registration.g.cs", Emitter.Registration(useCases, options, actions, endpoints));
            }
        });

        // The mutation summary other projects' coverage analyzers read. It changes nothing in this compilation, so it is an
        // implementation output: command-line builds write it, the IDE skips it (it walks every visible method's body).
        context.RegisterImplementationSourceOutput(context.CompilationProvider.Combine(context.AnalyzerConfigOptionsProvider), static (context, input) =>
        {
            (Compilation compilation, Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider optionsProvider) = input;
            KnownTypes known = KnownTypes.From(compilation);
            if (!known.IsAvailable || known.MutatingMembers is null)
            {
                return;
            }

            CoverageOptions options = CoverageOptions.For(optionsProvider.GlobalOptions, optionsProvider.GlobalOptions, new());
            var rules = new MutationRules(known, DataAccessCatalog.From(compilation));
            List<string> members = new CallSummaries(compilation, known)
                .VisibleMutatingMembers((target, receiver) => rules.Classify(target, receiver, options) is not null, rules.RecordsItself);
            if (members.Count > 0)
            {
                context.AddSource("AuditGen.MutationSummary.g.cs", Emitter.MutationSummary(members));
            }
        });

        context.RegisterSourceOutput(calls.Combine(interceptorsEnabled), static (context, input) =>
        {
            if (input.Left.Count > 0 && input.Right)
            {
                context.AddSource("AuditGen.Interceptors.g.cs", Emitter.Interceptors(input.Left));
            }
        });

        // ExecuteUpdate / ExecuteDelete, which bypass the change tracker: captured through interceptors (Parsing/BulkWriteParser.cs).
        IncrementalValueProvider<EquatableArray<BulkWriteCallModel>> bulkWrites = context.SyntaxProvider
            .CreateSyntaxProvider(static (node, _) => BulkWriteParser.IsCandidate(node), static (context, cancellationToken) => BulkWriteParser.Parse(context, cancellationToken))
            .Where(static call => call is not null)
            .Select(static (call, _) => call!)
            .WithTrackingName(Steps.BulkWrites)
            .Collect()
            .Select(static (models, _) => models.ToEquatableArray())
            .WithTrackingName(Steps.CollectedBulkWrites);
        context.RegisterSourceOutput(bulkWrites.Combine(interceptorsEnabled), static (context, input) =>
        {
            if (input.Left.Count > 0 && input.Right)
            {
                context.AddSource("AuditGen.BulkWrites.g.cs", Emitter.BulkWriteInterceptors(input.Left));
            }
        });
    }

    private static UseCaseModel? ParseUseCase(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        INamedTypeSymbol? type = context.TargetSymbol switch
        {
            IMethodSymbol method => method.ContainingType,
            INamedTypeSymbol named => named,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        KnownTypes known = KnownTypes.From(context.SemanticModel.Compilation);
        return known.IsAvailable
            ? UseCaseParser.ParseType(type, known, report: null, cancellationToken, EntryPoints.From(context.SemanticModel.Compilation))
            : null;
    }

    private static InterceptedCallModel? ParseCall(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        string name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            _ => "",
        };
        if (!CandidateNames.MayBeLogged(context.SemanticModel.Compilation, name))
        {
            return null; // cheap: no logged method has this name, so do not bind the call
        }

        if (context.SemanticModel.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method ||
            method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.ContainingType is not { TypeKind: TypeKind.Class } type ||
            !(HasLogsActivity(method) || HasLogsActivity(type)))
        {
            return null;
        }

        KnownTypes known = KnownTypes.From(context.SemanticModel.Compilation);
        if (!known.IsAvailable || UseCaseParser.ResolveDirectCall(method, type, known, out _) is not { } model)
        {
            return null;
        }

        if (context.SemanticModel.GetInterceptableLocation(invocation, cancellationToken) is not { } location)
        {
            return null;
        }

        // The display location is a comment for readers: the file name and position, never the machine's path.
        string display = location.GetDisplayLocation();
        int separator = display.LastIndexOfAny(['/', '\\']);
        return new InterceptedCallModel(location.Version, location.Data, separator >= 0 ? display.Substring(separator + 1) : display,
            type.ToDisplayString(UseCaseParser.TypeFormat), model);
    }

    private static bool HasLogsActivity(ISymbol symbol) =>
        symbol.GetAttributes().Any(a => a.AttributeClass is { Name: "LogsActivityAttribute", ContainingNamespace.Name: "AuditGen" });

    private static RegistrationOptionsModel ReadOptions(Compilation compilation)
    {
        string? publicName = null;
        foreach (AttributeData attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == KnownTypes.RegistrationAttribute &&
                attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name &&
                SyntaxFacts.IsValidIdentifier(name))
            {
                publicName = name;
            }
        }

        return new RegistrationOptionsModel(compilation.AssemblyName ?? "Assembly", publicName);
    }

    private static string HintName(string fullyQualifiedName, string suffix) =>
        new string(fullyQualifiedName.Replace("global::", "").Select(c => char.IsLetterOrDigit(c) || c == '.' ? c : '_').ToArray()) + $".{suffix}.g.cs";
}
