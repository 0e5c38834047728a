using System.Collections.Immutable;
using AuditGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Analyzers;

/// <summary>
/// Reports every [LogsActivity] use case, and every call to one, that the generator cannot turn into logging code
/// (AUD0001-AUD0012). It runs the generator's own parser, so it reports exactly what the generator skips.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed partial class UseCaseMappingAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [.. Diagnostics.All];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            KnownTypes known = KnownTypes.From(start.Compilation);
            if (!known.IsAvailable)
            {
                return;
            }

            EntryPoints entryPoints = EntryPoints.From(start.Compilation);
            start.RegisterSymbolAction(context => AnalyzeType(context, known, entryPoints), SymbolKind.NamedType);
            RegisterEntryPointActions(start, known, entryPoints);
            start.RegisterOperationAction(context => AnalyzeInvocation(context, known), OperationKind.Invocation);
            start.RegisterOperationAction(context => AnalyzeMethodReference(context, known), OperationKind.MethodReference);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownTypes known, EntryPoints entryPoints)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (known.DeclaresLoggedUseCase(type))
        {
            UseCaseParser.ParseType(type, known, context.ReportDiagnostic, context.CancellationToken, entryPoints);
            AnalyzeLoggedActions(context, type, known, entryPoints);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol target = invocation.TargetMethod;

        // AUD0010: a logged method that also appends by hand records its activity twice.
        if (target.Name == "AppendAsync" && known.IsLogPort(target.ContainingType) &&
            context.ContainingSymbol is IMethodSymbol { ContainingType: { } owner } caller &&
            (KnownTypes.HasAttribute(caller, known.LogsActivity) ||
             (KnownTypes.HasAttribute(owner, known.LogsActivity) &&
              SymbolEqualityComparer.Default.Equals(UseCaseParser.FindClassUseCaseMethod(owner, known, report: null), caller))))
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.DoubleLogging, invocation.Syntax.GetLocation(), caller.Name));
        }

        // AUD0009: a direct call on the concrete type that the generator cannot intercept.
        if (target.MethodKind == MethodKind.Ordinary && !target.IsStatic && target.ContainingType is { TypeKind: TypeKind.Class } type)
        {
            bool logged = UseCaseParser.ResolveDirectCall(target, type, known, out string? whyNot) is not null;
            if (logged && !UseCaseParser.InterceptorsEnabled(invocation.Syntax.SyntaxTree.Options))
            {
                whyNot = "interceptors are not enabled in this project; add <InterceptorsNamespaces>$(InterceptorsNamespaces);AuditGen.Generated</InterceptorsNamespaces> (the AuditGen package does this for you)";
            }

            if (whyNot is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UninterceptableCall, invocation.Syntax.GetLocation(), "call", target.Name, whyNot));
            }
        }
    }

    private static void AnalyzeMethodReference(OperationAnalysisContext context, KnownTypes known)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        if (reference.Method is { MethodKind: MethodKind.Ordinary, IsStatic: false, ContainingType: { TypeKind: TypeKind.Class } type } method &&
            (UseCaseParser.ResolveDirectCall(method, type, known, out string? whyNot) is not null || whyNot is not null))
        {
            context.ReportDiagnostic(Diagnostic.Create(Diagnostics.UninterceptableCall, reference.Syntax.GetLocation(), "method group", method.Name,
                "only direct calls are intercepted; call the method directly inside a lambda, or call it through its interface (decorated by AddLoggedUseCases)"));
        }
    }
}
