using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// The bodies a call can run: a method's own body in source, or the source implementations and overrides of an
/// interface, abstract or virtual method, found once per compilation.
/// </summary>
internal sealed partial class CallSummaries
{
    private static bool IsImplementable(IMethodSymbol method) =>
        method.IsAbstract || method.IsVirtual || method.IsOverride || method.ContainingType.TypeKind == TypeKind.Interface;

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
