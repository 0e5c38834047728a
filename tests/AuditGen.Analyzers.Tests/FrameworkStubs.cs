namespace AuditGen.Analyzers.Tests;

/// <summary>
/// Stand-ins for the application frameworks whose entry points AuditGen recognises (ASP.NET Core, gRPC, MassTransit,
/// NServiceBus, MediatR, hosting, Quartz), under their real namespaces and metadata names.
/// </summary>
internal static class FrameworkStubs
{
    public const string MinimalApi = """
        namespace Microsoft.AspNetCore.Routing
        {
            public interface IEndpointRouteBuilder { }
        }
        namespace Microsoft.AspNetCore.Builder
        {
            using Microsoft.AspNetCore.Routing;
            public sealed class RouteHandlerBuilder { }
            public sealed class RouteGroupBuilder : IEndpointRouteBuilder { }
            public sealed class WebApplication : IEndpointRouteBuilder { }
            public static class EndpointRouteBuilderExtensions
            {
                public static RouteGroupBuilder MapGroup(this IEndpointRouteBuilder endpoints, string prefix) => new();
                public static RouteHandlerBuilder MapGet(this IEndpointRouteBuilder endpoints, string pattern, System.Delegate handler) => new();
                public static RouteHandlerBuilder MapPost(this IEndpointRouteBuilder endpoints, string pattern, System.Delegate handler) => new();
                public static RouteHandlerBuilder MapPut(this IEndpointRouteBuilder endpoints, string pattern, System.Delegate handler) => new();
                public static RouteHandlerBuilder MapDelete(this IEndpointRouteBuilder endpoints, string pattern, System.Delegate handler) => new();
                public static RouteHandlerBuilder MapMethods(this IEndpointRouteBuilder endpoints, string pattern, System.Collections.Generic.IEnumerable<string> httpMethods, System.Delegate handler) => new();
            }
        }
        """;

    public const string Mvc = """
        namespace Microsoft.AspNetCore.Mvc
        {
            public interface IActionResult { }
            public abstract class ControllerBase
            {
                public virtual IActionResult Ok(object? value = null) => null!;
                public virtual IActionResult NoContent() => null!;
            }
            public abstract class Controller : ControllerBase
            {
                public virtual IActionResult View(object? model = null) => null!;
                public virtual void OnActionExecuting(object context) { }
            }
            [System.AttributeUsage(System.AttributeTargets.Class, Inherited = true)] public sealed class ApiControllerAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Class, Inherited = true)] public sealed class ControllerAttribute : System.Attribute { }
            [System.AttributeUsage(System.AttributeTargets.Method)] public sealed class NonActionAttribute : System.Attribute { }
        }
        namespace Microsoft.AspNetCore.Mvc.RazorPages
        {
            public abstract class PageModel
            {
                public virtual Microsoft.AspNetCore.Mvc.IActionResult Page() => null!;
                public virtual void OnPageHandlerExecuting(object context) { }
            }
        }
        """;

    public const string Grpc = """
        namespace Grpc.Core
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class BindServiceMethodAttribute(System.Type bindType, string bindMethodName) : System.Attribute { }
            public abstract class ServerCallContext { }
        }
        namespace Greet
        {
            using System.Threading.Tasks;
            public sealed class OrderRequest { public int Id { get; set; } }
            public sealed class OrderReply { }
            public static partial class Orders
            {
                [Grpc.Core.BindServiceMethod(typeof(Orders), "BindService")]
                public abstract partial class OrdersBase
                {
                    public virtual Task<OrderReply> Cancel(OrderRequest request, Grpc.Core.ServerCallContext context) => throw new System.NotImplementedException();
                    public virtual Task<OrderReply> Get(OrderRequest request, Grpc.Core.ServerCallContext context) => throw new System.NotImplementedException();
                }
            }
        }
        """;

    public const string Messaging = """
        namespace MassTransit
        {
            public interface ConsumeContext<out T> where T : class { T Message { get; } }
            public interface IConsumer { }
            public interface IConsumer<in TMessage> : IConsumer where TMessage : class
            {
                System.Threading.Tasks.Task Consume(ConsumeContext<TMessage> context);
            }
        }
        namespace NServiceBus
        {
            public interface IMessageHandlerContext { }
            public interface IHandleMessages<T> { System.Threading.Tasks.Task Handle(T message, IMessageHandlerContext context); }
        }
        namespace MediatR
        {
            using System.Threading;
            using System.Threading.Tasks;
            public interface IBaseRequest { }
            public interface IRequest : IBaseRequest { }
            public interface IRequest<out TResponse> : IBaseRequest { }
            public interface INotification { }
            public interface IRequestHandler<in TRequest> where TRequest : IRequest { Task Handle(TRequest request, CancellationToken cancellationToken); }
            public interface IRequestHandler<in TRequest, TResponse> where TRequest : IRequest<TResponse> { Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken); }
            public interface INotificationHandler<in TNotification> where TNotification : INotification { Task Handle(TNotification notification, CancellationToken cancellationToken); }
            public interface ISender
            {
                Task<TResponse> Send<TResponse>(IRequest<TResponse> request, CancellationToken cancellationToken = default);
                Task Send<TRequest>(TRequest request, CancellationToken cancellationToken = default) where TRequest : IRequest;
                Task<object?> Send(object request, CancellationToken cancellationToken = default);
            }
            public interface IPublisher { Task Publish(object notification, CancellationToken cancellationToken = default); }
            public interface IMediator : ISender, IPublisher { }
        }
        """;

    public const string Hosting = """
        namespace Microsoft.Extensions.Hosting
        {
            public abstract class BackgroundService
            {
                protected abstract System.Threading.Tasks.Task ExecuteAsync(System.Threading.CancellationToken stoppingToken);
                public virtual System.Threading.Tasks.Task StopAsync(System.Threading.CancellationToken cancellationToken) => System.Threading.Tasks.Task.CompletedTask;
            }
        }
        namespace Quartz
        {
            public interface IJobExecutionContext { }
            public interface IJob { System.Threading.Tasks.Task Execute(IJobExecutionContext context); }
        }
        """;

    public const string FastEndpoints = """
        namespace FastEndpoints
        {
            public abstract class BaseEndpoint { public virtual void Configure() { } }
            public abstract class Endpoint<TRequest, TResponse> : BaseEndpoint where TRequest : notnull
            {
                public virtual System.Threading.Tasks.Task HandleAsync(TRequest req, System.Threading.CancellationToken ct) => System.Threading.Tasks.Task.CompletedTask;
                public virtual System.Threading.Tasks.Task<TResponse> ExecuteAsync(TRequest req, System.Threading.CancellationToken ct) => throw null!;
            }
        }
        """;

    /// <summary>The source-generated <c>Mediator</c> library (namespace <c>Mediator</c>, not MediatR).</summary>
    public const string Mediator = """
        namespace Mediator
        {
            using System.Threading;
            using System.Threading.Tasks;
            public interface ICommand<out TResponse> { }
            public interface IQuery<out TResponse> { }
            public interface INotification { }
            public interface ICommandHandler<in TCommand, TResponse> where TCommand : ICommand<TResponse> { ValueTask<TResponse> Handle(TCommand command, CancellationToken cancellationToken); }
            public interface IQueryHandler<in TQuery, TResponse> where TQuery : IQuery<TResponse> { ValueTask<TResponse> Handle(TQuery query, CancellationToken cancellationToken); }
            public interface INotificationHandler<in TNotification> where TNotification : INotification { ValueTask Handle(TNotification notification, CancellationToken cancellationToken); }
            public interface ISender
            {
                ValueTask<TResponse> Send<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken = default);
                ValueTask<TResponse> Send<TResponse>(IQuery<TResponse> query, CancellationToken cancellationToken = default);
            }
            public interface IMediator : ISender { }
        }
        """;

    public const string Hangfire = """
        namespace Hangfire
        {
            using System;
            using System.Linq.Expressions;
            using System.Threading.Tasks;
            public static class BackgroundJob
            {
                public static string Enqueue<T>(Expression<Func<T, Task>> methodCall) => "";
                public static string Schedule<T>(Expression<Func<T, Task>> methodCall, TimeSpan delay) => "";
            }
            public static class RecurringJob
            {
                public static void AddOrUpdate<T>(string recurringJobId, Expression<Action<T>> methodCall, string cronExpression) { }
            }
        }
        """;
}
