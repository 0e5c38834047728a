namespace AuditGen.Generators;

/// <summary>Where a change can start: the kinds of entry point AuditGen recognises, each described by one file in this folder.</summary>
internal enum EntryPointKind
{
    /// <summary>A lambda or method group passed to <c>Map*</c> (<see cref="MinimalApiHandlers"/>).</summary>
    MinimalApiHandler,

    /// <summary>An action of an MVC or API controller (<see cref="ControllerActions"/>).</summary>
    ControllerAction,

    /// <summary>A FastEndpoints endpoint's <c>HandleAsync</c>/<c>ExecuteAsync</c> (<see cref="FastEndpointsHandlers"/>).</summary>
    FastEndpoint,

    /// <summary>A Razor Pages handler, <c>OnPost*</c> and the like (<see cref="RazorPageHandlers"/>).</summary>
    RazorPageHandler,

    /// <summary>A gRPC service method (<see cref="GrpcServiceMethods"/>).</summary>
    GrpcServiceMethod,

    /// <summary>A message consumer or handler: MassTransit, NServiceBus, Rebus, MediatR (<see cref="MessageHandlers"/>).</summary>
    MessageHandler,

    /// <summary>A hosted background service's <c>ExecuteAsync</c> (<see cref="BackgroundServices"/>).</summary>
    BackgroundService,

    /// <summary>A scheduled job's method (<see cref="ScheduledJobs"/>).</summary>
    Job,
}
