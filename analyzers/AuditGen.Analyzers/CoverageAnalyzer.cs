using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AuditGen.Generators;
using Microsoft.CodeAnalysis;
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
        private readonly CallSummaries _calls = new(compilation);
        private readonly ConcurrentBag<(string Action, string EntityType, Location Location, string UseCase)> _actions = [];

        public void StartType(SymbolStartAnalysisContext context)
        {
            var type = (INamedTypeSymbol)context.Symbol;
            if (type.TypeKind != TypeKind.Class || type.Locations.FirstOrDefault(l => l.IsInSource)?.SourceTree is not { } tree)
            {
                return;
            }

            CoverageOptions options = CoverageOptions.For(optionsProvider.GetOptions(tree), optionsProvider.GlobalOptions, _optionsCache);
            if (!IsUseCase(type, options))
            {
                return;
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
            context.RegisterSymbolEndAction(end => Report(end, type, facts));
        }

        private void Record(IInvocationOperation invocation, INamedTypeSymbol type, CoverageOptions options, MethodFacts facts)
        {
            IMethodSymbol target = invocation.TargetMethod;
            lock (facts)
            {
                if (IsAppend(target))
                {
                    facts.Appends = true;
                }
                else if (SymbolEqualityComparer.Default.Equals(target.ContainingType, type) &&
                         target.DeclaredAccessibility is Accessibility.Private or Accessibility.Internal && target.MethodKind == MethodKind.Ordinary)
                {
                    facts.Helpers.Add(target.OriginalDefinition);
                }
                else if (ClassifyMutation(target, Receiver(invocation), options) is { } bulk)
                {
                    facts.Mutations.Add(new Mutation(Describe(target, Receiver(invocation)), invocation.Syntax.GetLocation(), bulk));
                }
                else if (!SymbolEqualityComparer.Default.Equals(target.ContainingType, type) &&
                         _calls.MutationReached(target, (t, r) => ClassifyMutation(t, r, options) is not null, RecordsItself) is { } reached)
                {
                    // Another type's method in this compilation that changes state: judged by what it does, not by its name.
                    facts.Mutations.Add(new Mutation($"{Describe(target, Receiver(invocation))}, which calls {reached}", invocation.Syntax.GetLocation(), false));
                }
            }
        }

        private void Report(SymbolAnalysisContext context, INamedTypeSymbol type, ConcurrentDictionary<IMethodSymbol, MethodFacts> facts)
        {
            bool typeExcused = KnownTypes.HasAttribute(type, known.NotLogged);
            IMethodSymbol? classUseCase = KnownTypes.HasAttribute(type, known.LogsActivity)
                ? UseCaseParser.FindClassUseCaseMethod(type, known, report: null)
                : null;

            foreach (KeyValuePair<IMethodSymbol, MethodFacts> entry in facts)
            {
                IMethodSymbol method = entry.Key;
                if (method.MethodKind != MethodKind.Ordinary && method.MethodKind != MethodKind.ExplicitInterfaceImplementation)
                {
                    continue;
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
                context.ReportDiagnostic(Diagnostic.Create(CoverageDiagnostics.Unlogged, method.Locations.FirstOrDefault(), method.Name, found));
            }
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
            options.UseCaseSuffixes.Any(s => type.Name.EndsWith(s, System.StringComparison.Ordinal)) ||
            KnownTypes.HasAttribute(type, known.LogsActivity) ||
            type.GetMembers().Any(m => m is IMethodSymbol && KnownTypes.HasAttribute(m, known.LogsActivity)) ||
            type.AllInterfaces.Any(i => options.UseCaseInterfaces.Any(u => u.Name == i.Name && u.Arity == i.Arity));

        /// <summary>A method that appends, is logged, or is excused: calling it leaves nothing unrecorded to the caller.</summary>
        private bool RecordsItself(IMethodSymbol method) =>
            IsAppend(method) || KnownTypes.HasAttribute(method, known.LogsActivity) || KnownTypes.HasAttribute(method, known.NotLogged) ||
            KnownTypes.HasAttribute(method.ContainingType, known.LogsActivity) || KnownTypes.HasAttribute(method.ContainingType, known.NotLogged);

        private bool IsAppend(IMethodSymbol target) =>
            target.Name == "AppendAsync" && known.Log is { } log &&
            (KnownTypes.Is(target.ContainingType, log) || target.ContainingType.AllInterfaces.Any(i => KnownTypes.Is(i, log)));

        /// <summary>The type the code calls the method on: the instance's type, or an extension method's first argument's.</summary>
        private static ITypeSymbol? Receiver(IInvocationOperation invocation) =>
            invocation.Instance?.Type ??
            (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null);

        /// <summary>
        /// Null when <paramref name="target"/> changes nothing; otherwise whether it is a bulk mutation. Conventions are
        /// matched on the receiver's type and every type it derives from or implements, not only on the declaring type
        /// (<c>IRepository&lt;T&gt; : IRepositoryBase&lt;T&gt;</c> declares its writes on the base).
        /// </summary>
        private bool? ClassifyMutation(IMethodSymbol target, ITypeSymbol? receiver, CoverageOptions options)
        {
            INamedTypeSymbol owner = target.ContainingType;
            string name = target.Name;

            // A commit of pending changes, whatever interface exposes it (IApplicationDbContext, IUnitOfWork, DbContext).
            if (name is "SaveChanges" or "SaveChangesAsync" && !target.IsStatic)
            {
                return false;
            }

            // EF Core and ADO.NET, by metadata name, so no reference to them is needed.
            string ns = owner.ContainingNamespace?.ToDisplayString() ?? "";
            if (ns.StartsWith("Microsoft.EntityFrameworkCore", System.StringComparison.Ordinal))
            {
                if (name.StartsWith("ExecuteUpdate", System.StringComparison.Ordinal) || name.StartsWith("ExecuteDelete", System.StringComparison.Ordinal) ||
                    name.StartsWith("ExecuteSqlRaw", System.StringComparison.Ordinal) || name.StartsWith("ExecuteSqlInterpolated", System.StringComparison.Ordinal) ||
                    (name.StartsWith("ExecuteSql", System.StringComparison.Ordinal) && owner.Name == "RelationalDatabaseFacadeExtensions"))
                {
                    return true;
                }
            }

            if (IsOrDerivesFrom(owner, "Microsoft.EntityFrameworkCore.DbContext") && StartsWithAny(name, "Add", "Update", "Remove", "Attach"))
            {
                return false;
            }

            // DbSet<T> writes, however the set is reached (a DbContext property, an IApplicationDbContext interface property).
            if (owner.OriginalDefinition.ToDisplayString() == "Microsoft.EntityFrameworkCore.DbSet<TEntity>" && StartsWithAny(name, "Add", "Update", "Remove", "Attach"))
            {
                return false;
            }

            if ((IsOrDerivesFrom(owner, "System.Data.Common.DbCommand") || owner.ToDisplayString() == "System.Data.IDbCommand") &&
                name.StartsWith("ExecuteNonQuery", System.StringComparison.Ordinal))
            {
                return true;
            }

            // [Mutation] on the method, what it overrides or implements, or its type.
            if (HasMutationAttribute(target))
            {
                return false;
            }

            // The naming convention: Add*/Create*/… on *Repository/*Repo/*Store: the receiver's type or any of its bases.
            if (options.MutationPrefixes.Any(p => name.StartsWith(p, System.StringComparison.Ordinal)) &&
                ReceiverTypes(owner, receiver).Any(t => options.RepositorySuffixes.Any(s => t.Name.EndsWith(s, System.StringComparison.Ordinal))) &&
                !(known.Log is { } log && (KnownTypes.Is(owner, log) || owner.AllInterfaces.Any(i => KnownTypes.Is(i, log)))))
            {
                return false;
            }

            return null;
        }

        /// <summary>The declaring type, the receiver's type, its base types and its interfaces.</summary>
        private static IEnumerable<ITypeSymbol> ReceiverTypes(INamedTypeSymbol owner, ITypeSymbol? receiver)
        {
            yield return owner;
            for (ITypeSymbol? t = receiver; t is not null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                yield return t;
            }

            if (receiver is not null)
            {
                foreach (INamedTypeSymbol itf in receiver.AllInterfaces)
                {
                    yield return itf;
                }
            }
        }

        private bool HasMutationAttribute(IMethodSymbol target)
        {
            INamedTypeSymbol? mutation = known.Mutation;
            if (mutation is null)
            {
                return false;
            }

            for (IMethodSymbol? m = target; m is not null; m = m.OverriddenMethod)
            {
                if (KnownTypes.HasAttribute(m, mutation) || KnownTypes.HasAttribute(m.ContainingType, mutation))
                {
                    return true;
                }
            }

            foreach (INamedTypeSymbol itf in target.ContainingType.AllInterfaces)
            {
                if (!KnownTypes.HasAttribute(itf, mutation) && !itf.GetMembers(target.Name).Any(m => KnownTypes.HasAttribute(m, mutation)))
                {
                    continue;
                }

                foreach (ISymbol member in itf.GetMembers(target.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(target.ContainingType.FindImplementationForInterfaceMember(member), target) &&
                        (KnownTypes.HasAttribute(itf, mutation) || KnownTypes.HasAttribute(member, mutation)))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool IsOrDerivesFrom(INamedTypeSymbol? type, string fullName)
        {
            for (; type is not null; type = type.BaseType)
            {
                if (type.ToDisplayString() == fullName)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool StartsWithAny(string name, params string[] prefixes) =>
            prefixes.Any(p => name.StartsWith(p, System.StringComparison.Ordinal));

        /// <summary>The call as the code wrote it: the receiver's type (what the user sees), else the declaring type.</summary>
        private static string Describe(IMethodSymbol target, ITypeSymbol? receiver) =>
            $"{(receiver is INamedTypeSymbol { Name.Length: > 0 } named ? named.Name : (target.ReducedFrom ?? target).ContainingType.Name)}.{target.Name}";
    }
}
