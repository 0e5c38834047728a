using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>Scheduled jobs declared by an interface: Quartz <c>IJob.Execute</c>, Coravel <c>IInvocable.Invoke</c>.</summary>
internal sealed class ScheduledJobs(Compilation compilation) : IEntryPointRule
{
    private readonly ImmutableArray<INamedTypeSymbol> _quartz = EntryPointSymbols.Resolve(compilation, "Quartz.IJob");
    private readonly ImmutableArray<INamedTypeSymbol> _coravel = EntryPointSymbols.Resolve(compilation, "Coravel.Invocable.IInvocable");

    public EntryPointKind Kind => EntryPointKind.Job;

    public bool MayDeclare(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class && (EntryPointSymbols.ImplementsAny(type, _quartz) || EntryPointSymbols.ImplementsAny(type, _coravel));

    public bool IsEntryPoint(IMethodSymbol method) =>
        EntryPointSymbols.Implements(method, _quartz, "Execute") || EntryPointSymbols.Implements(method, _coravel, "Invoke");
}
