namespace AuditGen.Analyzers.Tests;

/// <summary>
/// An entry point that only delegates — sends a command through a mediator, or calls a use case — is judged by where it
/// delegates: not reported when that records the change (a logged handler or use case), reported when it does not.
/// </summary>
public class DelegationTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;
        using MediatR;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.EntityFrameworkCore;

        public sealed class Todo { public int Id { get; set; } }
        public sealed class AppDb : DbContext { public DbSet<Todo> Todos { get; } = null!; }
        public sealed record CreateTodo(string Title) : IRequest<int>;
        public sealed record DeleteTodo(int Id) : IRequest;
        public sealed record GetTodo(int Id) : IRequest<Todo?>;

        public sealed class GetTodoHandler(AppDb db) : IRequestHandler<GetTodo, Todo?>
        {
            public Task<Todo?> Handle(GetTodo request, CancellationToken cancellationToken) => Task.FromResult(db.Todos.Find(request.Id));
        }

        """;

    private static Task Verify(string source) => new AnalyzerTest<CoverageAnalyzer>(
        Prelude + source + "\n" + References.EfStubs + "\n" + FrameworkStubs.MinimalApi + "\n" + FrameworkStubs.Messaging).RunAsync();

    private const string LoggedHandlers = """
        public sealed class CreateTodoHandler(AppDb db) : IRequestHandler<CreateTodo, int>
        {
            [LogsActivity("create_todo", EntityType = "Todo")]
            public async Task<int> Handle(CreateTodo request, CancellationToken cancellationToken) { var todo = new Todo(); db.Todos.Add(todo); await db.SaveChangesAsync(cancellationToken); return todo.Id; }
        }
        public sealed class DeleteTodoHandler(AppDb db) : IRequestHandler<DeleteTodo>
        {
            [NotLogged("the test's own cleanup")]
            public Task Handle(DeleteTodo request, CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
        }
        """;

    [Fact]
    public Task Endpoints_that_only_send_to_logged_or_excused_handlers_are_not_reported() => Verify(LoggedHandlers + """
        public static class TodoEndpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapPost("/todos", (CreateTodo command, ISender sender) => sender.Send(command));
                app.MapDelete("/todos/{id}", (int id, IMediator mediator) => mediator.Send(new DeleteTodo(id)));
                app.MapGet("/todos/{id}", (int id, IMediator mediator) => mediator.Send(new GetTodo(id)));
            }
        }
        """);

    [Fact]
    public Task An_endpoint_that_sends_to_an_unlogged_handler_that_writes_is_reported_with_the_handler() => Verify("""
        public sealed class CreateTodoHandler(AppDb db) : IRequestHandler<CreateTodo, int>
        {
            public async Task<int> {|AUD1001:Handle|}(CreateTodo request, CancellationToken cancellationToken) { db.Todos.Add(new Todo()); await db.SaveChangesAsync(cancellationToken); return 1; }
        }
        public static class TodoEndpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapPost("/todos", {|AUD1001:(CreateTodo command, IMediator mediator) => mediator.Send(command)|});
                app.MapGet("/todos/{id}", (int id, IMediator mediator) => mediator.Send(new GetTodo(id)));
            }
        }
        """);

    [Fact]
    public Task A_wrapper_service_that_sends_to_a_logged_handler_or_calls_a_logged_use_case_is_delegation() => Verify(LoggedHandlers + """
        public sealed class ArchiveTodoUseCase(AppDb db)
        {
            [LogsActivity("archive_todo", EntityType = "Todo")]
            public async Task<int> ExecuteAsync(int id) { db.Todos.Remove(new Todo { Id = id }); await db.SaveChangesAsync(); return id; }
        }
        public sealed class TodoFacade(ISender sender, ArchiveTodoUseCase archive)
        {
            public Task<int> Create(string title) => sender.Send(new CreateTodo(title));
            public Task<int> Archive(int id) => archive.ExecuteAsync(id);
        }
        public sealed class TodosController(TodoFacade facade) : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            public Task<int> Post(string title) => facade.Create(title);
            public Task<int> Archive(int id) => facade.Archive(id);
        }
        """ + "\n" + FrameworkStubs.Mvc);

    [Fact]
    public Task A_wrapper_that_sends_to_an_unlogged_handler_that_writes_is_followed_to_it() => Verify("""
        public sealed class CreateTodoHandler(AppDb db) : IRequestHandler<CreateTodo, int>
        {
            public async Task<int> {|AUD1001:Handle|}(CreateTodo request, CancellationToken cancellationToken) { db.Todos.Add(new Todo()); await db.SaveChangesAsync(cancellationToken); return 1; }
        }
        public sealed class TodoFacade(ISender sender)
        {
            public Task<int> Create(string title) => sender.Send(new CreateTodo(title));
        }
        public sealed class TodosController(TodoFacade facade) : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            public Task<int> {|AUD1001:Post|}(string title) => facade.Create(title);
        }
        """ + "\n" + FrameworkStubs.Mvc);

    [Fact]
    public Task A_generic_request_wrapper_is_resolved_to_its_generic_handler() => Verify("""
        public sealed record Deduplicated<TCommand, TResult>(TCommand Command, Guid RequestId) : IRequest<TResult> where TCommand : IRequest<TResult>;
        public sealed class DeduplicatedHandler<TCommand, TResult>(AppDb db, IMediator mediator) : IRequestHandler<Deduplicated<TCommand, TResult>, TResult>
            where TCommand : IRequest<TResult>
        {
            public async Task<TResult> {|AUD1001:Handle|}(Deduplicated<TCommand, TResult> request, CancellationToken cancellationToken)
            {
                await db.SaveChangesAsync(cancellationToken); // remembers the request id
                return await mediator.Send(request.Command, cancellationToken);
            }
        }
        public static class OrderEndpoints
        {
            public static void Map(WebApplication app) =>
                app.MapPost("/todos", {|AUD1001:(CreateTodo command, Guid requestId, IMediator mediator) => mediator.Send(new Deduplicated<CreateTodo, int>(command, requestId))|});
        }
        """);
}
