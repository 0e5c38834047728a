using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>Hosted background work: the <c>ExecuteAsync</c> override of a <c>BackgroundService</c>.</summary>
internal sealed class BackgroundServices(Compilation compilation) : IEntryPointRule
{
    private readonly ImmutableArray<INamedTypeSymbol> _bases = EntryPointSymbols.Resolve(compilation, "Microsoft.Extensions.Hosting.BackgroundService");

    public EntryPointKind Kind => EntryPointKind.BackgroundService;

    public bool MayDeclare(INamedTypeSymbol type) => type.TypeKind == TypeKind.Class && EntryPointSymbols.DerivesFrom(type, _bases);

    public bool IsEntryPoint(IMethodSymbol method) =>
        method is { Name: "ExecuteAsync", IsOverride: true } && MayDeclare(method.ContainingType);
}
