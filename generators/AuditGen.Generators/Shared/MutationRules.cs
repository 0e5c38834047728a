using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// What counts as a change of state, in one place for the coverage analyzer and the generator's mutation summary:
/// <c>[Mutation]</c> members, the data-access writes of the ecosystem by metadata name (<see cref="DataAccessCatalog"/>),
/// <c>SaveChanges*</c> on any type, and the repository naming convention (on the receiver's type and its bases) as the
/// fallback for what no catalog knows; and what records itself (appends, is logged or excused).
/// </summary>
internal sealed class MutationRules(KnownTypes known, DataAccessCatalog catalog)
{
    /// <summary>A method that appends, is logged, or is excused: calling it leaves nothing unrecorded to the caller.</summary>
    public bool RecordsItself(IMethodSymbol method) =>
        IsAppend(method) || KnownTypes.HasAttribute(method, known.LogsActivity) || KnownTypes.HasAttribute(method, known.NotLogged) ||
        KnownTypes.HasAttribute(method.ContainingType, known.LogsActivity) || KnownTypes.HasAttribute(method.ContainingType, known.NotLogged);

    public bool IsAppend(IMethodSymbol target) => target.Name == "AppendAsync" && known.IsLogPort(target.ContainingType);

    /// <summary>The type the code calls the method on: the instance's type, or an extension method's first argument's.</summary>
    public static ITypeSymbol? Receiver(IInvocationOperation invocation) =>
        invocation.Instance?.Type ??
        (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null);

    /// <summary>
    /// Null when <paramref name="target"/> changes nothing; otherwise whether it is a bulk mutation. Conventions are
    /// matched on the receiver's type and every type it derives from or implements, not only on the declaring type
    /// (<c>IRepository&lt;T&gt; : IRepositoryBase&lt;T&gt;</c> declares its writes on the base).
    /// </summary>
    public bool? Classify(IMethodSymbol target, ITypeSymbol? receiver, CoverageOptions options)
    {
        INamedTypeSymbol owner = target.ContainingType;
        string name = target.Name;

        // A commit of pending changes, whatever interface exposes it (IApplicationDbContext, IUnitOfWork, DbContext).
        if (name is "SaveChanges" or "SaveChangesAsync" && !target.IsStatic)
        {
            return false;
        }

        // The ecosystem's data-access writes, by metadata name: one catalog file per library family (Shared/Catalog).
        if (catalog.Find(target) is { } write)
        {
            return write.Write.Bulk;
        }

        // [Mutation] on the method, what it overrides or implements, or its type.
        if (HasMutationAttribute(target))
        {
            return false;
        }

        // The naming convention: Add*/Create*/… on *Repository/*Repo/*Store: the receiver's type or any of its bases.
        if (options.MutationPrefixes.Any(p => name.StartsWith(p, System.StringComparison.Ordinal)) &&
            ReceiverTypes(owner, receiver).Any(t => options.RepositorySuffixes.Any(s => t.Name.EndsWith(s, System.StringComparison.Ordinal))) &&
            !known.IsLogPort(owner))
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
}
