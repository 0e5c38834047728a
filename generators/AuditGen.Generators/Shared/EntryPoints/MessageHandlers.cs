using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators;

/// <summary>
/// Message consumers and handlers, by the interface the bus resolves them through: MassTransit <c>IConsumer&lt;T&gt;.Consume</c>,
/// NServiceBus and Rebus <c>IHandleMessages&lt;T&gt;.Handle</c>, MediatR <c>INotificationHandler&lt;T&gt;</c> and
/// <c>IRequestHandler&lt;T&gt;</c>/<c>IRequestHandler&lt;T, R&gt;</c> <c>Handle</c>, and the same for the source-generated
/// <c>Mediator</c> library (<c>ICommandHandler</c>, <c>IQueryHandler</c>, <c>IRequestHandler</c>, <c>INotificationHandler</c>).
/// </summary>
internal sealed class MessageHandlers(Compilation compilation) : IEntryPointRule
{
    private readonly ImmutableArray<INamedTypeSymbol> _consume = EntryPointSymbols.Resolve(compilation, "MassTransit.IConsumer`1");

    private readonly ImmutableArray<INamedTypeSymbol> _handle = EntryPointSymbols.Resolve(compilation,
        "NServiceBus.IHandleMessages`1", "Rebus.Handlers.IHandleMessages`1",
        "MediatR.INotificationHandler`1", "MediatR.IRequestHandler`1", "MediatR.IRequestHandler`2",
        "Mediator.ICommandHandler`1", "Mediator.ICommandHandler`2", "Mediator.IRequestHandler`1", "Mediator.IRequestHandler`2",
        "Mediator.IQueryHandler`2", "Mediator.INotificationHandler`1");

    private readonly ImmutableArray<INamedTypeSymbol> _bus = EntryPointSymbols.Resolve(compilation, "NServiceBus.IHandleMessages`1", "Rebus.Handlers.IHandleMessages`1");

    private readonly ImmutableArray<INamedTypeSymbol> _byClass = EntryPointSymbols.Resolve(compilation, "NServiceBus.IHandleMessages`1");

    public EntryPointKind Kind => EntryPointKind.MessageHandler;

    /// <summary>
    /// Whether <paramref name="method"/> consumes messages from a bus (MassTransit, NServiceBus, Rebus): background work, where
    /// no person acted. MediatR and Mediator handlers run in the caller's request and are not.
    /// </summary>
    public bool IsBusConsumer(IMethodSymbol method) =>
        EntryPointSymbols.Implements(method, _consume, "Consume") || EntryPointSymbols.Implements(method, _bus, "Handle");

    /// <summary>
    /// Why no generated decorator can run around <paramref name="method"/>, or null when one can: MassTransit and NServiceBus
    /// resolve a consumer or handler by its class (<c>AddConsumer&lt;T&gt;()</c>, assembly scanning), never through the
    /// interface a decorator is registered under. Rebus, MediatR and Mediator resolve the interface, so their handlers are
    /// decorated.
    /// </summary>
    public string? WhyNotDecorated(IMethodSymbol method) =>
        EntryPointSymbols.Implements(method, _consume, "Consume") ? Resolution("MassTransit", "a consumer", "IConsumer<T>")
        : EntryPointSymbols.Implements(method, _byClass, "Handle") ? Resolution("NServiceBus", "a message handler", "IHandleMessages<T>")
        : null;

    private static string Resolution(string bus, string what, string contract) =>
        $"{bus} resolves {what} by its class, never through {contract}, so a generated decorator would not run and nothing would be " +
        $"recorded; put [LogsActivity] on the use case it calls (injected through an interface, with an [Actor] parameter for whom the message acts), which is logged wherever it runs";

    public bool MayDeclare(INamedTypeSymbol type) =>
        type.TypeKind == TypeKind.Class && (EntryPointSymbols.ImplementsAny(type, _consume) || EntryPointSymbols.ImplementsAny(type, _handle));

    public bool IsEntryPoint(IMethodSymbol method) =>
        EntryPointSymbols.Implements(method, _consume, "Consume") || EntryPointSymbols.Implements(method, _handle, "Handle");
}
