using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// FastEndpoints: an endpoint class (deriving from <c>Endpoint&lt;TRequest&gt;</c>, <c>Endpoint&lt;TRequest, TResponse&gt;</c>,
/// <c>EndpointWithoutRequest</c>… — all from <c>BaseEndpoint</c>) handles its request in its <c>HandleAsync</c> or
/// <c>ExecuteAsync</c> override.
/// </summary>
internal sealed class FastEndpointsHandlers(Compilation compilation) : IEntryPointRule
{
    private readonly ImmutableArray<INamedTypeSymbol> _bases = EntryPointSymbols.Resolve(compilation,
        "FastEndpoints.BaseEndpoint", "FastEndpoints.Endpoint`1", "FastEndpoints.Endpoint`2", "FastEndpoints.Endpoint`3",
        "FastEndpoints.EndpointWithoutRequest", "FastEndpoints.EndpointWithoutRequest`1");

    public EntryPointKind Kind => EntryPointKind.FastEndpoint;

    public bool MayDeclare(INamedTypeSymbol type) => type.TypeKind == TypeKind.Class && EntryPointSymbols.DerivesFrom(type, _bases);

    public bool IsEntryPoint(IMethodSymbol method) => method is { IsOverride: true, Name: "HandleAsync" or "ExecuteAsync" };
}
