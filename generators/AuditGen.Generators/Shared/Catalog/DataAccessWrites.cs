using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// One library's writes: the types by metadata name and, per type, the methods that change data (a name, or a prefix
/// ending in <c>*</c>). Everything else on those types is a read and never counts.
/// </summary>
internal sealed record DataAccessFamily(string Name, ImmutableArray<DataAccessWrite> Writes);

/// <summary>
/// Methods of one type (by metadata name, <c>`1</c> for generics) that write. <paramref name="Bulk"/>: they can change
/// many rows at once (AUD1003 asks a logged use case to record how many).
/// </summary>
internal sealed record DataAccessWrite(string TypeMetadataName, ImmutableArray<string> Methods, bool Bulk = false)
{
    public bool Matches(string methodName)
    {
        foreach (string pattern in Methods)
        {
            if (pattern.EndsWith("*", System.StringComparison.Ordinal)
                ? methodName.StartsWith(pattern.Substring(0, pattern.Length - 1), System.StringComparison.Ordinal)
                : methodName == pattern)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// The data-access writes of the ecosystem, one file per library family in this folder, resolved against a compilation
/// once: only the types the compilation references are kept, so a project without MongoDB pays nothing for it. Adding a
/// library is adding its file and its line in <see cref="Families"/>.
/// </summary>
internal sealed class DataAccessCatalog
{
    /// <summary>Every family AuditGen knows.</summary>
    public static readonly ImmutableArray<DataAccessFamily> Families =
    [
        EntityFrameworkCoreWrites.Family,
        AdoNetWrites.Family,
        DapperWrites.Family,
        ArdalisSpecificationWrites.Family,
        AspNetCoreIdentityWrites.Family,
        MongoDbWrites.Family,
        MartenWrites.Family,
        NHibernateWrites.Family,
        RedisWrites.Family,
    ];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, DataAccessCatalog> Cache = new();

    private readonly Dictionary<INamedTypeSymbol, List<(DataAccessFamily Family, DataAccessWrite Write)>> _byType;

    private DataAccessCatalog(Compilation compilation)
    {
        _byType = new Dictionary<INamedTypeSymbol, List<(DataAccessFamily, DataAccessWrite)>>(SymbolEqualityComparer.Default);
        foreach (DataAccessFamily family in Families)
        {
            foreach (DataAccessWrite write in family.Writes)
            {
                if (compilation.GetTypeByMetadataName(write.TypeMetadataName) is not { } type)
                {
                    continue;
                }

                if (!_byType.TryGetValue(type, out List<(DataAccessFamily, DataAccessWrite)>? list))
                {
                    _byType[type] = list = [];
                }

                list.Add((family, write));
            }
        }
    }

    /// <summary>The catalog resolved against <paramref name="compilation"/>, once per compilation.</summary>
    public static DataAccessCatalog From(Compilation compilation) => Cache.GetValue(compilation, static c => new DataAccessCatalog(c));

    /// <summary>Whether the compilation references none of the libraries.</summary>
    public bool IsEmpty => _byType.Count == 0;

    /// <summary>
    /// The catalog entry <paramref name="method"/> is, or null when it is not a known write: matched on the type that
    /// declares it (an extension method's static class, an interface) and on every method it overrides (a provider's
    /// <c>SqlCommand.ExecuteNonQuery</c> overrides <c>DbCommand</c>'s).
    /// </summary>
    public (DataAccessFamily Family, DataAccessWrite Write)? Find(IMethodSymbol method)
    {
        if (_byType.Count == 0)
        {
            return null;
        }

        for (IMethodSymbol? m = method.ReducedFrom ?? method; m is not null; m = m.OverriddenMethod)
        {
            if (_byType.TryGetValue(m.ContainingType.OriginalDefinition, out List<(DataAccessFamily Family, DataAccessWrite Write)>? writes))
            {
                foreach ((DataAccessFamily family, DataAccessWrite write) in writes)
                {
                    if (write.Matches(m.Name))
                    {
                        return (family, write);
                    }
                }
            }
        }

        return null;
    }
}
