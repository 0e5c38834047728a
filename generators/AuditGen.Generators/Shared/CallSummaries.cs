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
internal sealed partial class CallSummaries(Compilation compilation, KnownTypes known)
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
}
