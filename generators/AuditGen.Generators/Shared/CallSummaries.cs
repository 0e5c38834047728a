using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// What methods of other types in the same compilation do: whether a call to one reaches a mutation, through its own body
/// and the methods it calls (for an interface or abstract method, through its implementations in source). Computed on
/// demand, only for methods a use case calls, once per method and compilation; cycles and depth are bounded.
/// </summary>
internal sealed class CallSummaries(Compilation compilation, KnownTypes known)
{
    private const int MaxDepth = 4;

    /// <summary>
    /// How a method reaches its first mutation, completing "…, which …" ("calls IRepository.DeleteAsync"), or null. Only
    /// definitive answers are kept: a path found, or a search that hit neither the depth bound nor a method on its own path.
    /// </summary>
    private readonly ConcurrentDictionary<IMethodSymbol, string?> _reached = new(SymbolEqualityComparer.Default);
    private readonly Lazy<Dictionary<IMethodSymbol, List<IMethodSymbol>>> _implementations = new(() => FindImplementations(compilation));
    private readonly ConcurrentDictionary<IAssemblySymbol, HashSet<string>> _summaries = new(SymbolEqualityComparer.Default);
    private readonly Lazy<Dictionary<string, (string Assembly, string Implementation)>> _implementedInReferences = new(() => ReadImplementedMembers(compilation, known));
    private readonly MediatorDispatch _dispatch = MediatorDispatch.From(compilation);

    /// <summary>Separates an implemented member from its mutating implementation in a summary entry (ids have no spaces).</summary>
    public const string ImplementedBy = " <- ";

    /// <summary>
    /// How a call to <paramref name="method"/> reaches a mutation ("calls IRepository.DeleteAsync"), or null when it changes nothing (or is
    /// not in this compilation's source). <paramref name="isMutation"/> classifies a call by its target and receiver type;
    /// A method that records itself (it appends, or <paramref name="recordsItself"/> says so) reaches nothing.
    /// </summary>
    /// <paramref name="recordsItself"/> says a method is logged (or excused) on its own, so calling it adds nothing to judge.
    public string? MutationReached(IMethodSymbol method, Func<IMethodSymbol, ITypeSymbol?, bool> isMutation, Func<IMethodSymbol, bool> recordsItself) =>
        Reach(method.OriginalDefinition, isMutation, recordsItself, new Search()).Found;

    /// <summary>
    /// When <paramref name="invocation"/> sends a request through a mediator (<c>ISender.Send(new XCommand(…))</c>), how the
    /// handlers it reaches change state ("sends XCommand to XCommandHandler.Handle, which …"), or null: nothing sent, or every
    /// handler records itself (logged, excused) or changes nothing. The handlers are found in the compilation or in the
    /// request type's assembly.
    /// </summary>
    public string? Dispatched(IInvocationOperation invocation, Func<IMethodSymbol, ITypeSymbol?, bool> isMutation, Func<IMethodSymbol, bool> recordsItself)
    {
        if (_dispatch.RequestSent(invocation) is not { } request)
        {
            return null;
        }

        foreach (IMethodSymbol handler in _dispatch.Handlers(request, compilation))
        {
            if (!recordsItself(handler) && MutationReached(handler, isMutation, recordsItself) is { } reached)
            {
                return $"sends {request.Name} to {handler.ContainingType.Name}.{handler.Name}, which {reached}";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="invocation"/> sends a request whose handler is visible: delegation, judged by the handler.</summary>
    public bool SendsToKnownHandler(IInvocationOperation invocation) =>
        _dispatch.RequestSent(invocation) is { } request && _dispatch.Handlers(request, compilation).Any();

    /// <summary>One top-level question: the methods on the current call path (cycles), per thread of analysis.</summary>
    private sealed class Search
    {
        public HashSet<IMethodSymbol> Path { get; } = new(SymbolEqualityComparer.Default);
    }

    /// <summary>The path found (or null), and whether a null is definitive (no depth bound or cycle cut the search short).</summary>
    private (string? Found, bool Complete) Reach(IMethodSymbol method, Func<IMethodSymbol, ITypeSymbol?, bool> isMutation, Func<IMethodSymbol, bool> isAppend,
        Search search)
    {
        if (_reached.TryGetValue(method, out string? known))
        {
            return (known, true);
        }

        if (search.Path.Count > MaxDepth || !search.Path.Add(method))
        {
            return (null, false); // too deep, or already on this path: nothing new here, but not a final answer
        }

        try
        {
            string? found = FromAssemblySummary(method);
            bool complete = true;
            foreach (IMethodSymbol body in found is null ? Bodies(method) : [])
            {
                (found, bool bodyComplete) = ReachInBody(body, isMutation, isAppend, search);
                complete &= bodyComplete;
                if (found is not null)
                {
                    break;
                }
            }

            if (found is not null || complete)
            {
                _reached[method] = found;
            }

            return (found, complete || found is not null);
        }
        finally
        {
            search.Path.Remove(method);
        }
    }

    private (string? Found, bool Complete) ReachInBody(IMethodSymbol body, Func<IMethodSymbol, ITypeSymbol?, bool> isMutation,
        Func<IMethodSymbol, bool> isAppend, Search search)
    {
        if (isAppend(body))
        {
            return (null, true); // logged or excused on its own
        }

        bool complete = true;
        foreach (SyntaxReference reference in body.DeclaringSyntaxReferences)
        {
            SyntaxNode syntax = reference.GetSyntax();
            if (!compilation.ContainsSyntaxTree(syntax.SyntaxTree))
            {
                continue;
            }

            // The bodies of methods a use case calls, in other types: the reason this analyzer asks for a semantic model.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel(): needed to read another type's method body, once per method (cached).
            SemanticModel model = compilation.GetSemanticModel(syntax.SyntaxTree);
#pragma warning restore RS1030
            if (model.GetOperation(syntax) is not { } operation)
            {
                continue;
            }

            IInvocationOperation[] invocations = [.. operation.DescendantsAndSelf().OfType<IInvocationOperation>()];
            if (invocations.Any(i => isAppend(i.TargetMethod)))
            {
                return (null, true); // it records its own activity
            }

            foreach (IInvocationOperation invocation in invocations)
            {
                IMethodSymbol target = invocation.TargetMethod;
                ITypeSymbol? receiver = invocation.Instance?.Type ??
                    (target.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null);
                if (isMutation(target, receiver))
                {
                    return ($"calls {(receiver as INamedTypeSymbol)?.Name ?? target.ContainingType.Name}.{target.Name}", true);
                }

                if (Dispatched(invocation, isMutation, isAppend) is { } sent)
                {
                    return ($"calls {target.ContainingType.Name}.{target.Name}, which {sent}", true);
                }

                (string? deeper, bool deeperComplete) = Reach(target.OriginalDefinition, isMutation, isAppend, search);
                if (deeper is not null)
                {
                    return ($"calls {target.ContainingType.Name}.{target.Name}, which {deeper}", true);
                }

                complete &= deeperComplete;
            }
        }

        return (null, complete);
    }

    /// <summary>
    /// For a method compiled in another assembly: whether that assembly's AuditGen mutation summary
    /// (<c>[assembly: MutatingMembers(...)]</c>) lists it.
    /// </summary>
    private string? FromAssemblySummary(IMethodSymbol method)
    {
        if (known.MutatingMembers is not { } attribute || method.ContainingAssembly is not { } assembly ||
            SymbolEqualityComparer.Default.Equals(assembly, compilation.Assembly))
        {
            return null;
        }

        HashSet<string> members = _summaries.GetOrAdd(assembly, a => [.. a.GetAttributes()
            .Where(d => SymbolEqualityComparer.Default.Equals(d.AttributeClass, attribute))
            .SelectMany(d => d.ConstructorArguments.SelectMany(c => c.Kind == TypedConstantKind.Array ? c.Values : [c]))
            .Select(c => c.Value as string ?? "")
            .Where(id => id.Length > 0)]);
        string? id = method.GetDocumentationCommentId();
        if (id is not null && members.Contains(id))
        {
            return $"changes state in {assembly.Name}, by {assembly.Name}'s AuditGen mutation summary";
        }

        // An interface, abstract or virtual member whose implementation lives in another referenced assembly (a unit of
        // work declared in the domain project, implemented by the DbContext in the infrastructure project).
        return id is not null && IsImplementable(method) && _implementedInReferences.Value.TryGetValue(id, out var implemented)
            ? $"is implemented by {implemented.Implementation} in {implemented.Assembly}, which changes state by {implemented.Assembly}'s AuditGen mutation summary"
            : null;
    }

    private static bool IsImplementable(IMethodSymbol method) =>
        method.IsAbstract || method.IsVirtual || method.IsOverride || method.ContainingType.TypeKind == TypeKind.Interface;

    /// <summary>
    /// The "implemented member <see cref="ImplementedBy"/> mutating implementation" entries of every referenced assembly's
    /// summary, by the implemented member's id: read once per compilation.
    /// </summary>
    private static Dictionary<string, (string Assembly, string Implementation)> ReadImplementedMembers(Compilation compilation, KnownTypes known)
    {
        var map = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        if (known.MutatingMembers is not { } attribute)
        {
            return map;
        }

        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            foreach (AttributeData data in assembly.GetAttributes())
            {
                if (!SymbolEqualityComparer.Default.Equals(data.AttributeClass, attribute))
                {
                    continue;
                }

                foreach (TypedConstant value in data.ConstructorArguments.SelectMany(c => c.Kind == TypedConstantKind.Array ? c.Values : [c]))
                {
                    if (value.Value is string entry && entry.IndexOf(ImplementedBy, StringComparison.Ordinal) is var at and > 0 && !map.ContainsKey(entry.Substring(0, at)))
                    {
                        map[entry.Substring(0, at)] = (assembly.Name, ShortName(entry.Substring(at + ImplementedBy.Length)));
                    }
                }
            }
        }

        return map;
    }

    /// <summary><c>M:Infra.OrderingContext.SaveEntitiesAsync(System.Threading.CancellationToken)</c> → <c>OrderingContext.SaveEntitiesAsync</c>.</summary>
    private static string ShortName(string id)
    {
        string name = id.IndexOf('(') is var open and > 0 ? id.Substring(0, open) : id;
        int last = name.LastIndexOf('.');
        int previous = last > 0 ? name.LastIndexOf('.', last - 1) : -1;
        return previous >= 0 ? name.Substring(previous + 1) : name.Substring(name.IndexOf(':') + 1);
    }

    /// <summary>
    /// The documentation ids of the members of this compilation that other assemblies can call and that change state:
    /// what the generator writes into the assembly as its mutation summary.
    /// </summary>
    public List<string> VisibleMutatingMembers(Func<IMethodSymbol, ITypeSymbol?, bool> isMutation, Func<IMethodSymbol, bool> recordsItself)
    {
        var found = new List<string>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container && (member is INamespaceSymbol || IsVisible(member)))
                {
                    pending.Push(container);
                }

                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && IsVisible(method) &&
                    method.GetDocumentationCommentId() is { } id &&
                    MutationReached(method, isMutation, recordsItself) is not null)
                {
                    found.Add(id);
                }
            }
        }

        found.AddRange(ImplementedElsewhereEntries(isMutation, recordsItself));
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// For each method of this compilation (whatever its accessibility) that changes state and implements or overrides a
    /// visible member declared in another assembly: "member id <see cref="ImplementedBy"/> method id". A project that calls
    /// the member through that assembly's interface (the domain's <c>IUnitOfWork</c>) then knows the call writes.
    /// </summary>
    private SortedSet<string> ImplementedElsewhereEntries(Func<IMethodSymbol, ITypeSymbol?, bool> isMutation, Func<IMethodSymbol, bool> recordsItself)
    {
        var entries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<IMethodSymbol, List<IMethodSymbol>> pair in _implementations.Value)
        {
            IMethodSymbol member = pair.Key;
            if (SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, compilation.Assembly) || !IsVisible(member) ||
                IsSystemMember(member) || member.GetDocumentationCommentId() is not { } memberId)
            {
                continue;
            }

            foreach (IMethodSymbol implementation in pair.Value)
            {
                if (implementation.OriginalDefinition.GetDocumentationCommentId() is { } implementationId &&
                    MutationReached(implementation, isMutation, recordsItself) is not null)
                {
                    entries.Add(memberId + ImplementedBy + implementationId);
                    break;
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// A member of <c>object</c> or of a <c>System</c> interface (<c>IDisposable.Dispose</c>, <c>IAsyncDisposable</c>):
    /// every type has one, so a mutating implementation must not make every call to it a mutation elsewhere.
    /// </summary>
    private static bool IsSystemMember(IMethodSymbol member) =>
        member.ContainingType.ContainingNamespace is { Name: "System" } ns && ns.ContainingNamespace.IsGlobalNamespace;

    private static bool IsVisible(ISymbol symbol)
    {
        for (ISymbol? s = symbol; s is not null and not INamespaceSymbol; s = s.ContainingSymbol)
        {
            if (s.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The method's own body when it is in source, or the source implementations of an interface or abstract method.</summary>
    private IEnumerable<IMethodSymbol> Bodies(IMethodSymbol method)
    {
        if (!method.IsAbstract && method.Locations.Any(l => l.IsInSource))
        {
            yield return method;
            if (!method.IsVirtual && !method.IsOverride && method.ContainingType.TypeKind != TypeKind.Interface)
            {
                yield break;
            }
        }

        if (IsImplementable(method) && _implementations.Value.TryGetValue(method, out List<IMethodSymbol>? implementations))
        {
            foreach (IMethodSymbol implementation in implementations)
            {
                yield return implementation;
            }
        }
    }

    /// <summary>Every interface, abstract or virtual method the compilation's source types implement or override, with those implementations.</summary>
    private static Dictionary<IMethodSymbol, List<IMethodSymbol>> FindImplementations(Compilation compilation)
    {
        var map = new Dictionary<IMethodSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                }
                else if (member is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type)
                {
                    pending.Push(type);
                    foreach (INamedTypeSymbol itf in type.AllInterfaces)
                    {
                        foreach (IMethodSymbol declared in itf.GetMembers().OfType<IMethodSymbol>())
                        {
                            if (type.FindImplementationForInterfaceMember(declared) is IMethodSymbol implementation)
                            {
                                Add(map, declared.OriginalDefinition, implementation);
                            }
                        }
                    }

                    foreach (IMethodSymbol method in type.GetMembers().OfType<IMethodSymbol>())
                    {
                        for (IMethodSymbol? overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                        {
                            Add(map, overridden.OriginalDefinition, method); // abstract, or virtual with a body of its own
                        }
                    }
                }
            }
        }

        return map;
    }

    private static void Add(Dictionary<IMethodSymbol, List<IMethodSymbol>> map, IMethodSymbol declared, IMethodSymbol implementation)
    {
        if (!map.TryGetValue(declared, out List<IMethodSymbol>? list))
        {
            map[declared] = list = [];
        }

        list.Add(implementation);
    }
}
