using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace AuditGen.Generators;

/// <summary>
/// MediatR's <c>ISender.Send(request)</c> (and <c>IMediator.Send</c>): the code that runs is the
/// <c>IRequestHandler&lt;TRequest&gt;</c> / <c>IRequestHandler&lt;TRequest, TResponse&gt;</c> of the request's type, found
/// in the compilation or in the request type's own assembly (where handlers usually live). An endpoint that only sends a
/// command is judged by the command's handler: delegating to a logged handler is not an alarm.
/// </summary>
internal sealed class MediatorDispatch
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, MediatorDispatch> Cache = new();

    private readonly INamedTypeSymbol? _sender;
    private readonly INamedTypeSymbol? _mediator;
    private readonly INamedTypeSymbol? _handler1;
    private readonly INamedTypeSymbol? _handler2;
    private readonly ConcurrentDictionary<IAssemblySymbol, Dictionary<ITypeSymbol, List<IMethodSymbol>>> _handlersByAssembly = new(SymbolEqualityComparer.Default);

    private MediatorDispatch(Compilation compilation)
    {
        _sender = compilation.GetTypeByMetadataName("MediatR.ISender");
        _mediator = compilation.GetTypeByMetadataName("MediatR.IMediator");
        _handler1 = compilation.GetTypeByMetadataName("MediatR.IRequestHandler`1");
        _handler2 = compilation.GetTypeByMetadataName("MediatR.IRequestHandler`2");
    }

    public static MediatorDispatch From(Compilation compilation) => Cache.GetValue(compilation, static c => new MediatorDispatch(c));

    /// <summary>The request type <paramref name="invocation"/> sends, or null when it is not a mediator's <c>Send</c>.</summary>
    public ITypeSymbol? RequestSent(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (target.Name != "Send" || (_sender is null && _mediator is null) || invocation.Arguments.Length == 0 ||
            !(KnownTypes.Is(target.ContainingType, _sender) || KnownTypes.Is(target.ContainingType, _mediator)))
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
        if (_handler1 is null && _handler2 is null)
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
                    if ((KnownTypes.Is(itf.OriginalDefinition, _handler1) || KnownTypes.Is(itf.OriginalDefinition, _handler2)) &&
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
