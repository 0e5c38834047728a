using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// MediatR's <c>ISender.Send(request)</c> (and <c>IMediator.Send</c>, and the same in the source-generated <c>Mediator</c>
/// library): the code that runs is the <c>IRequestHandler&lt;TRequest&gt;</c> / <c>IRequestHandler&lt;TRequest, TResponse&gt;</c>
/// (<c>ICommandHandler</c>, <c>IQueryHandler</c>) of the request's type, found
/// in the compilation or in the request type's own assembly (where handlers usually live). An endpoint that only sends a
/// command is judged by the command's handler: delegating to a logged handler is not an alarm.
/// </summary>
internal sealed class MediatorDispatch
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, MediatorDispatch> Cache = new();

    private readonly ImmutableArray<INamedTypeSymbol> _senders;
    private readonly ImmutableArray<INamedTypeSymbol> _handlers;
    private readonly ConcurrentDictionary<IAssemblySymbol, Dictionary<ITypeSymbol, List<IMethodSymbol>>> _handlersByAssembly = new(SymbolEqualityComparer.Default);

    private MediatorDispatch(Compilation compilation)
    {
        _senders = EntryPointSymbols.Resolve(compilation, "MediatR.ISender", "MediatR.IMediator", "Mediator.ISender", "Mediator.IMediator");
        _handlers = EntryPointSymbols.Resolve(compilation, "MediatR.IRequestHandler`1", "MediatR.IRequestHandler`2",
            "Mediator.IRequestHandler`1", "Mediator.IRequestHandler`2", "Mediator.ICommandHandler`1", "Mediator.ICommandHandler`2",
            "Mediator.IQueryHandler`2");
    }

    public static MediatorDispatch From(Compilation compilation) => Cache.GetValue(compilation, static c => new MediatorDispatch(c));

    /// <summary>The request type <paramref name="invocation"/> sends, or null when it is not a mediator's <c>Send</c>.</summary>
    public ITypeSymbol? RequestSent(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (target.Name != "Send" || _senders.IsEmpty || invocation.Arguments.Length == 0 ||
            !_senders.Contains(target.ContainingType.OriginalDefinition, SymbolEqualityComparer.Default))
        {
            return null;
        }

        IOperation argument = invocation.Arguments[0].Value;
        while (argument is IConversionOperation conversion)
        {
            argument = conversion.Operand; // Send(object request), Send<TResponse>(IRequest<TResponse> request): the object's own type
        }

        return argument.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } request ? request : null;
    }

    /// <summary>The <c>Handle</c> methods of the handlers of <paramref name="request"/>.</summary>
    public IEnumerable<IMethodSymbol> Handlers(ITypeSymbol request, Compilation compilation)
    {
        IEnumerable<IMethodSymbol> found = For(compilation.Assembly, request);
        return request.ContainingAssembly is { } own && !SymbolEqualityComparer.Default.Equals(own, compilation.Assembly)
            ? found.Concat(For(own, request))
            : found;
    }

    private List<IMethodSymbol> For(IAssemblySymbol assembly, ITypeSymbol request) =>
        _handlersByAssembly.GetOrAdd(assembly, Scan).TryGetValue(request.OriginalDefinition, out List<IMethodSymbol>? handlers) ? handlers : [];

    private Dictionary<ITypeSymbol, List<IMethodSymbol>> Scan(IAssemblySymbol assembly)
    {
        var map = new Dictionary<ITypeSymbol, List<IMethodSymbol>>(SymbolEqualityComparer.Default);
        if (_handlers.IsEmpty)
        {
            return map;
        }

        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (ISymbol member in pending.Pop().GetMembers())
            {
                if (member is INamespaceSymbol ns)
                {
                    pending.Push(ns);
                    continue;
                }

                if (member is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false } type)
                {
                    continue;
                }

                pending.Push(type);
                foreach (INamedTypeSymbol itf in type.AllInterfaces)
                {
                    if (_handlers.Contains(itf.OriginalDefinition, SymbolEqualityComparer.Default) &&
                        itf.GetMembers("Handle").FirstOrDefault() is { } handle &&
                        type.FindImplementationForInterfaceMember(handle) is IMethodSymbol implementation)
                    {
                        ITypeSymbol key = itf.TypeArguments[0].OriginalDefinition;
                        if (!map.TryGetValue(key, out List<IMethodSymbol>? list))
                        {
                            map[key] = list = [];
                        }

                        list.Add(implementation);
                    }
                }
            }
        }

        return map;
    }
}
