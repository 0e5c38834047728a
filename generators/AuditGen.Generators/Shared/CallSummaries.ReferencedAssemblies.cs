using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Methods compiled in other assemblies: what those assemblies' AuditGen mutation summaries
/// (<c>[assembly: MutatingMembers(...)]</c>) say about them, including members implemented in another referenced assembly.
/// </summary>
internal sealed partial class CallSummaries
{
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
}
