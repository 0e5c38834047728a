using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// This assembly's own mutation summary: the members other assemblies can call that change state, and the entries for
/// its implementations of members declared elsewhere.
/// </summary>
internal sealed partial class CallSummaries
{
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
}
