using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AuditGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Analyzers;

/// <summary>
/// Audit coverage at compile time: a use-case method that changes state must be [LogsActivity], [NotLogged] or
/// append through IActivityLogRepo itself (AUD1001). Also: a logged method that changes nothing (AUD1002), a bulk
/// mutation in a logged use case (AUD1003), one action logged with two entity types (AUD1004).
/// </summary>
/// <remarks>
/// Per use-case type: an operation-block action records, for each method, the mutations it calls, its appends and its
/// calls to private or internal methods of the same type (lambdas and local functions included); the type's end
/// action follows those calls (cycles handled) from each non-private method. Symbols are resolved once per compilation.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CoverageAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        [CoverageDiagnostics.Unlogged, CoverageDiagnostics.NoMutation, CoverageDiagnostics.Bulk, CoverageDiagnostics.ActionEntityConflict];

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            KnownTypes known = KnownTypes.From(start.Compilation);
            if (known.LogsActivity is null)
            {
                return;
            }

            var analysis = new CompilationAnalysis(start.Compilation, known, start.Options.AnalyzerConfigOptionsProvider);
            start.RegisterSymbolStartAction(analysis.StartType, SymbolKind.NamedType);
            EntryPoints entryPoints = EntryPoints.From(start.Compilation);
            if (entryPoints.MinimalApi.IsAvailable)
            {
                start.RegisterOperationAction(analysis.CheckMappedHandler, OperationKind.Invocation);
            }

            if (entryPoints.Hangfire.IsAvailable)
            {
                start.RegisterOperationAction(analysis.CheckScheduledJob, OperationKind.Invocation);
            }

            start.RegisterCompilationEndAction(analysis.ReportActionConflicts);
        });
    }

    /// <summary>A mutation found in a method: what was called, where, and whether it changes many rows at once.</summary>
    private sealed record Mutation(string Description, Location Location, bool IsBulk);

    /// <summary>What one method does directly.</summary>
    private sealed class MethodFacts
    {
        public List<Mutation> Mutations { get; } = [];

        public List<IMethodSymbol> Helpers { get; } = [];

        public bool Appends { get; set; }
    }

    private sealed class CompilationAnalysis(Compilation compilation, KnownTypes known, AnalyzerConfigOptionsProvider optionsProvider)
    {
        private readonly ConcurrentDictionary<string, CoverageOptions> _optionsCache = new();
        private readonly CallSummaries _calls = new(compilation, known);
        private readonly MutationRules _rules = new(known, DataAccessCatalog.From(compilation));
        private readonly EntryPoints _entryPoints = EntryPoints.From(compilation);
        private readonly ConcurrentBag<(string Action, string EntityType, Location Location, string UseCase)> _actions = [];

        public void StartType(SymbolStartAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class || type.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree is not { } tree)
            {
                return;
            }

            CoverageOptions options = CoverageOptions.For(optionsProvider.GetOptions(tree), optionsProvider.GlobalOptions, _optionsCache);
            // A type that declares entry points (a controller) is judged by its entry points, even with a logged action.
            bool declaresEntryPoints = _entryPoints.MayDeclare(type);
            bool isUseCase = declaresEntryPoints ? IsUseCaseByConvention(type, options) : IsUseCase(type, options);
            if (!isUseCase && !declaresEntryPoints)
            {
                return; // neither a use case nor a type that declares entry points (controllers, pages, consumers, jobs…)
            }

            var facts = new ConcurrentDictionary<IMethodSymbol, MethodFacts>(SymbolEqualityComparer.Default);
            context.RegisterOperationBlockStartAction(block =>
            {
                if (block.OwningSymbol is not IMethodSymbol method || !SymbolEqualityComparer.Default.Equals(method.ContainingType, type))
                {
                    return;
                }

                MethodFacts methodFacts = facts.GetOrAdd(method, _ => new MethodFacts());
                block.RegisterOperationAction(operation => Record((IInvocationOperation)operation.Operation, type, options, methodFacts), OperationKind.Invocation);
            });
            context.RegisterSymbolEndAction(end => Report(end, type, isUseCase, facts));
        }

        private void Record(IInvocationOperation invocation, INamedTypeSymbol type, CoverageOptions options, MethodFacts facts)
        {
            if (InLoggedLambda(invocation))
            {
                return; // a logged minimal-API lambda records its own changes (its generated endpoint filter)
            }

            IMethodSymbol target = invocation.TargetMethod;
            lock (facts)
            {
                if (_rules.IsAppend(target))
                {
                    facts.Appends = true;
                }
                else if (SymbolEqualityComparer.Default.Equals(target.ContainingType, type) &&
                         target.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal && target.MethodKind == MethodKind.Ordinary)
                {
                    facts.Helpers.Add(target.OriginalDefinition);
                }
                else if (_rules.Classify(target, MutationRules.Receiver(invocation), options) is { } bulk)
                {
                    facts.Mutations.Add(new Mutation(Describe(target, MutationRules.Receiver(invocation)), invocation.Syntax.GetLocation(), bulk));
                }
                else if (_calls.Dispatched(invocation, (t, r) => _rules.Classify(t, r, options) is not null, _rules.RecordsItself) is { } sent)
                {
                    // A request sent through a mediator: judged by its handler (a logged handler records the change).
                    facts.Mutations.Add(new Mutation($"{Describe(target, MutationRules.Receiver(invocation))}, which {sent},", invocation.Syntax.GetLocation(), false));
                }
                else if (!SymbolEqualityComparer.Default.Equals(target.ContainingType, type) &&
                         _calls.MutationReached(target, (t, r) => _rules.Classify(t, r, options) is not null, _rules.RecordsItself) is { } reached)
                {
                    // Another type's method in this compilation that changes state: judged by what it does, not by its name.
                    facts.Mutations.Add(new Mutation($"{Describe(target, MutationRules.Receiver(invocation))}, which {reached},", invocation.Syntax.GetLocation(), false));
                }
            }
        }

        private void Report(SymbolAnalysisContext context, INamedTypeSymbol type, bool isUseCase, ConcurrentDictionary<IMethodSymbol, MethodFacts> facts)
        {
            bool typeExcused = KnownTypes.HasAttribute(type, known.NotLogged);
            IMethodSymbol? classUseCase = KnownTypes.HasAttribute(type, known.LogsActivity)
                ? UseCaseParser.FindClassUseCaseMethod(type, known, report: null)
                : null;

            foreach (KeyValuePair<IMethodSymbol, MethodFacts> entry in facts)
            {
                IMethodSymbol method = entry.Key;
                if ((method.MethodKind != MethodKind.Ordinary && method.MethodKind != MethodKind.ExplicitInterfaceImplementation) ||
                    (!isUseCase && _entryPoints.Classify(method) is null))
                {
                    continue; // in a type that is not a use case, only its entry points are judged (a controller's actions)
                }

                AttributeData? logs = KnownTypes.FindAttribute(method, known.LogsActivity) ??
                    (SymbolEqualityComparer.Default.Equals(method, classUseCase) ? KnownTypes.FindAttribute(type, known.LogsActivity) : null);
                bool isLogged = logs is not null;
                if (!isLogged && method.DeclaredAccessibility == Accessibility.Private && method.MethodKind != MethodKind.ExplicitInterfaceImplementation)
                {
                    continue; // a private helper is judged through the methods that call it
                }

                (List<(Mutation Mutation, string? Via)> mutations, bool appends) = Reach(method, facts);
                if (isLogged)
                {
                    RecordAction(method, logs!, type);
                    if (mutations.Count == 0)
                    {
                        context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.NoMutation, method.Locations.FirstOrDefault(), method.Name));
                    }

                    foreach ((Mutation bulk, _) in mutations.Where(m => m.Mutation.IsBulk))
                    {
                        context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Bulk, bulk.Location, method.Name, bulk.Description));
                    }

                    continue;
                }

                if (mutations.Count == 0 || appends || typeExcused || KnownTypes.HasAttribute(method, known.NotLogged))
                {
                    continue;
                }

                (Mutation first, string? via) = mutations[0];
                int line = first.Location.GetLineSpan().StartLinePosition.Line + 1;
                string found = $"calls {first.Description} at line {line}" + (via is null ? "" : $", through {via}");
                if (_entryPoints.Messages.WhyNotDecorated(method) is not null)
                {
                    // [LogsActivity] cannot go here (AUD0008): the code fix must not offer it, and the message says where it goes.
                    context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Unlogged, method.Locations.FirstOrDefault(), CoverageDiagnostics.NotLoggableHere,
                        method.Name, found + "; its bus resolves it by class, so log the use case it calls"));
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Unlogged, method.Locations.FirstOrDefault(), method.Name, found));
            }
        }

        /// <summary>Whether <paramref name="operation"/> is inside a lambda marked [LogsActivity] or [NotLogged].</summary>
        private bool InLoggedLambda(IOperation operation)
        {
            for (IOperation? o = operation.Parent; o is not null; o = o.Parent)
            {
                if (o is IAnonymousFunctionOperation lambda && _rules.RecordsItself(lambda.Symbol))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The mutations <paramref name="method"/> reaches through helpers of its type, and whether it appends itself.</summary>
        private static (List<(Mutation, string?)> Mutations, bool Appends) Reach(IMethodSymbol method, ConcurrentDictionary<IMethodSymbol, MethodFacts> facts)
        {
            var mutations = new List<(Mutation, string?)>();
            bool appends = false;
            var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
            var pending = new Stack<(IMethodSymbol Method, string? Via)>();
            pending.Push((method, null));
            while (pending.Count > 0)
            {
                (IMethodSymbol current, string? via) = pending.Pop();
                if (!visited.Add(current) || !facts.TryGetValue(current, out MethodFacts? f))
                {
                    continue;
                }

                lock (f)
                {
                    appends |= f.Appends;
                    mutations.AddRange(f.Mutations.Select(m => (m, via)));
                    foreach (IMethodSymbol helper in f.Helpers)
                    {
                        pending.Push((helper, via ?? helper.Name));
                    }
                }
            }

            return (mutations.OrderBy(m => m.Item2 is null ? 0 : 1).ThenBy(m => m.Item1.Location.SourceSpan.Start).ToList(), appends);
        }

        /// <summary>
        /// A minimal-API handler (a lambda or method group passed to <c>Map*</c>) that changes state must be logged, excused
        /// or delegate to a logged use case, like any use case. Read-only handlers are never reported.
        /// </summary>
        public void CheckMappedHandler(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (_entryPoints.MinimalApi.HandlerOf(invocation, out string? route) is not { } handler)
            {
                return;
            }

            CoverageOptions options = CoverageOptions.For(optionsProvider.GetOptions(invocation.Syntax.SyntaxTree), optionsProvider.GlobalOptions, _optionsCache);
            Func<IMethodSymbol, ITypeSymbol?, bool> isMutation = (t, r) => _rules.Classify(t, r, options) is not null;
            string map = $"{invocation.TargetMethod.Name}({(route is null ? "" : SymbolDisplay.FormatLiteral(route, quote: true))})";
            if (handler is IAnonymousFunctionOperation lambda)
            {
                if (_rules.RecordsItself(lambda.Symbol) || FirstMutation(lambda.Body, options, isMutation) is not { } found)
                {
                    return;
                }

                context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Unlogged, lambda.Syntax.GetLocation(), $"the {map} handler", found));
            }
            else if (handler is IMethodReferenceOperation { Method: var method } reference &&
                     method.Locations.FirstOrDefault(l => l.IsInSource) is { } declared &&
                     !IsReportedWithItsType(method, options) && !_rules.RecordsItself(method) &&
                     _calls.MutationReached(method, isMutation, _rules.RecordsItself) is { } reached)
            {
                // Reported on the method when it is in the same file (where the code fix adds the attribute), else on the Map call.
                Location location = declared.SourceTree == invocation.Syntax.SyntaxTree ? declared : reference.Syntax.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Unlogged, location, method.Name, $"mapped by {map}; it {reached}"));
            }
        }

        /// <summary>
        /// A method scheduled as a Hangfire job (<c>BackgroundJob.Enqueue&lt;T&gt;(x =&gt; x.Run())</c>) that changes state must
        /// be logged or excused like any entry point; reported on the method when it is in the same file, else on the call.
        /// </summary>
        public void CheckScheduledJob(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (_entryPoints.Hangfire.JobOf(invocation) is not { } job || job.Locations.FirstOrDefault(l => l.IsInSource) is not { } declared)
            {
                return;
            }

            CoverageOptions options = CoverageOptions.For(optionsProvider.GetOptions(invocation.Syntax.SyntaxTree), optionsProvider.GlobalOptions, _optionsCache);
            if (!IsReportedWithItsType(job, options) && !_rules.RecordsItself(job) &&
                _calls.MutationReached(job, (t, r) => _rules.Classify(t, r, options) is not null, _rules.RecordsItself) is { } reached)
            {
                Location location = declared.SourceTree == invocation.Syntax.SyntaxTree ? declared : invocation.Syntax.GetLocation();
                context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Unlogged, location, job.Name,
                    $"scheduled by {invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name}; it {reached}"));
            }
        }

        /// <summary>A method group mapped as a handler that its own type's analysis already judges (a use case's method, a controller action).</summary>
        private bool IsReportedWithItsType(IMethodSymbol method, CoverageOptions options) =>
            _entryPoints.Classify(method) is not null || IsUseCase(method.ContainingType, options);

        /// <summary>The first mutation in a lambda's body ("calls DbSet.Add at line 12"), or null when it has none or appends itself.</summary>
        private string? FirstMutation(IOperation body, CoverageOptions options, Func<IMethodSymbol, ITypeSymbol?, bool> isMutation)
        {
            string? first = null;
            foreach (IOperation operation in body.DescendantsAndSelf())
            {
                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                IMethodSymbol target = invocation.TargetMethod;
                if (_rules.IsAppend(target))
                {
                    return null;
                }

                if (first is not null)
                {
                    continue;
                }

                ITypeSymbol? receiver = MutationRules.Receiver(invocation);
                string? how = _rules.Classify(target, receiver, options) is not null ? "" :
                    _calls.Dispatched(invocation, isMutation, _rules.RecordsItself) is { } sent ? $", which {sent}," :
                    _calls.MutationReached(target, isMutation, _rules.RecordsItself) is { } reached ? $", which {reached}," : null;
                if (how is not null)
                {
                    first = $"calls {Describe(target, receiver)}{how} at line {invocation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1}";
                }
            }

            return first;
        }

        private void RecordAction(IMethodSymbol method, AttributeData attribute, INamedTypeSymbol type)
        {
            if (UseCaseParser.ParseMethod(method, attribute, known, report: null) is { } model)
            {
                _actions.Add((model.Action, model.EntityType,
                    attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? method.Locations[0], $"{type.Name}.{method.Name}"));
            }
        }

        public void ReportActionConflicts(CompilationAnalysisContext context)
        {
            foreach (IGrouping<string, (string Action, string EntityType, Location Location, string UseCase)> group in _actions.GroupBy(a => a.Action))
            {
                var ordered = group.OrderBy(a => a.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(a => a.Location.SourceSpan.Start).ToList();
                var first = ordered[0];
                foreach (var other in ordered.Skip(1).Where(a => a.EntityType != first.EntityType))
                {
                    context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.ActionEntityConflict, other.Location,
                        other.Action, other.EntityType, first.EntityType, first.UseCase));
                }
            }
        }

        private bool IsUseCase(INamedTypeSymbol type, CoverageOptions options) =>
            IsUseCaseByConvention(type, options) || known.DeclaresLoggedUseCase(type);

        private static bool IsUseCaseByConvention(INamedTypeSymbol type, CoverageOptions options) =>
            options.UseCaseSuffixes.Any(s => type.Name.EndsWith(s, System.StringComparison.Ordinal)) ||
            type.AllInterfaces.Any(i => options.UseCaseInterfaces.Any(u => u.Name == i.Name && u.Arity == i.Arity));

        /// <summary>The call as the code wrote it: the receiver's type (what the user sees), else the declaring type.</summary>
        private static string Describe(IMethodSymbol target, ITypeSymbol? receiver) =>
            $"{(receiver is INamedTypeSymbol { Name.Length: > 0 } named ? named.Name : (target.ReducedFrom ?? target).ContainingType.Name)}.{target.Name}";
    }
}
