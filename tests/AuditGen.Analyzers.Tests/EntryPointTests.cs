namespace AuditGen.Analyzers.Tests;

/// <summary>
/// Every kind of entry point is checked with zero configuration (AUD1001 when it changes state unlogged), and read-only,
/// logged or excused ones are not reported.
/// </summary>
public class EntryPointTests
{
    private const string Prelude = """
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;
        using Microsoft.EntityFrameworkCore;

        """;

    private const string Model = """

        public sealed class Todo { public int Id { get; set; } public string Title { get; set; } = ""; }
        public sealed class AppDb : DbContext { public DbSet<Todo> Todos { get; } = null!; }
        """;

    private static Task Verify(string stubs, string source) =>
        new AnalyzerTest<CoverageAnalyzer>(Prelude + source + Model + "\n" + References.EfStubs + "\n" + stubs).RunAsync();

    [Fact]
    public Task Minimal_API_lambdas_that_write_are_reported_reads_logged_and_excused_ones_are_not() => Verify(FrameworkStubs.MinimalApi, """
        using Microsoft.AspNetCore.Builder;
        public static class TodoEndpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/todos", (AppDb db) => db.Todos.ToList());
                app.MapPost("/todos", {|AUD1001:async (Todo todo, AppDb db) => { db.Todos.Add(todo); await db.SaveChangesAsync(); return todo; }|});
                app.MapDelete("/todos/{id}", {|AUD1001:(int id, AppDb db) => db.Todos.Where(t => t.Id == id).ExecuteDeleteAsync()|});
                app.MapPut("/todos/{id}", [LogsActivity("update_todo", EntityType = "Todo")] async (int id, Todo todo, AppDb db) => { db.Todos.Update(todo); await db.SaveChangesAsync(); return todo; });
                app.MapMethods("/todos/purge", ["POST"], [NotLogged("test data reset")] (AppDb db) => db.Todos.ExecuteDeleteAsync());
            }
        }
        """);

    [Fact]
    public Task Minimal_API_handlers_on_route_groups_and_method_groups_are_checked() => Verify(FrameworkStubs.MinimalApi, """
        using Microsoft.AspNetCore.Builder;
        public static class TodoApi
        {
            public static void MapTodos(this WebApplication app)
            {
                var group = app.MapGroup("/api/todos");
                group.MapGet("/", List);
                group.MapPost("/", Create);
                group.MapPut("/{id}", Rename);
            }

            public static Todo[] List(AppDb db) => db.Todos.ToArray();

            public static async Task<Todo> {|AUD1001:Create|}(Todo todo, AppDb db)
            {
                await db.Todos.AddAsync(todo);
                await db.SaveChangesAsync();
                return todo;
            }

            [LogsActivity("rename_todo", EntityType = "Todo")]
            public static async Task<Todo> Rename(int id, Todo todo, AppDb db)
            {
                db.Todos.Update(todo);
                await db.SaveChangesAsync();
                return todo;
            }
        }
        """);

    [Fact]
    public Task A_logged_lambda_in_a_type_with_a_logged_handler_is_not_reported_on_the_method_that_maps_it() => Verify(FrameworkStubs.MinimalApi, """
        using Microsoft.AspNetCore.Builder;
        public static class TodoApi
        {
            public static void MapTodos(this WebApplication app)
            {
                var group = app.MapGroup("/api/todos");
                group.MapPut("/{id}", [LogsActivity("update_todo", EntityType = "Todo")] async (int id, Todo todo, AppDb db) => { db.Todos.Update(todo); await db.SaveChangesAsync(); return todo; });
                group.MapDelete("/{id}", Delete);
            }

            [LogsActivity("delete_todo", EntityType = "Todo")]
            public static async Task Delete(int id, AppDb db) { db.Todos.Remove(new Todo { Id = id }); await db.SaveChangesAsync(); }
        }
        """);

    [Fact]
    public Task Controller_actions_that_write_are_reported_reads_NonAction_and_overrides_are_not() => Verify(FrameworkStubs.Mvc, """
        using Microsoft.AspNetCore.Mvc;
        public sealed class TodosController(AppDb db) : Controller
        {
            public IActionResult Index() => View(db.Todos.ToList());
            public async Task<IActionResult> {|AUD1001:Create|}(Todo todo) { db.Todos.Add(todo); await db.SaveChangesAsync(); return RedirectHome(); }
            [NonAction] public Task Save() => db.SaveChangesAsync();
            public override void OnActionExecuting(object context) => db.SaveChanges();
            [LogsActivity("delete_todo", EntityType = "Todo")]
            public async Task<IActionResult> Delete(int id) { db.Todos.Remove(new Todo { Id = id }); await db.SaveChangesAsync(); return RedirectHome(); }
            private IActionResult RedirectHome() => View();
        }

        [ApiController]
        public sealed class TodoApi(AppDb db)
        {
            public Todo? Get(int id) => db.Todos.Find(id);
            public int {|AUD1001:Clear|}() => db.SaveChanges();
        }
        """);

    [Fact]
    public Task Razor_Pages_handlers_that_write_are_reported_OnGet_that_reads_is_not() => Verify(FrameworkStubs.Mvc, """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.RazorPages;
        public sealed class EditModel(AppDb db) : PageModel
        {
            public Todo? Todo { get; set; }
            public void OnGet(int id) => Todo = db.Todos.Find(id);
            public async Task<IActionResult> {|AUD1001:OnPostAsync|}() { db.Todos.Update(Todo!); await db.SaveChangesAsync(); return Page(); }
            public Task {|AUD1001:OnPostDeleteAsync|}(int id) => db.Todos.Where(t => t.Id == id).ExecuteDeleteAsync();
            public override void OnPageHandlerExecuting(object context) => db.SaveChanges();
            public Task Helper() => db.SaveChangesAsync();
        }
        """);

    [Fact]
    public Task gRPC_service_methods_that_write_are_reported_reads_are_not() => Verify(FrameworkStubs.Grpc, """
        using Greet;
        public sealed class OrdersService(AppDb db) : Orders.OrdersBase
        {
            public override async Task<OrderReply> {|AUD1001:Cancel|}(OrderRequest request, Grpc.Core.ServerCallContext context)
            {
                db.Todos.Remove(new Todo { Id = request.Id });
                await db.SaveChangesAsync();
                return new OrderReply();
            }

            public override Task<OrderReply> Get(OrderRequest request, Grpc.Core.ServerCallContext context) => Task.FromResult(new OrderReply());
        }
        """);

    [Fact]
    public Task Message_consumers_and_handlers_that_write_are_reported() => Verify(FrameworkStubs.Messaging, """
        public sealed record TodoDone(int Id);
        public sealed record TodoSeen(int Id) : MediatR.INotification;
        public sealed record TodoQuery(int Id) : MediatR.IRequest<Todo?>;
        public sealed class TodoDoneConsumer(AppDb db) : MassTransit.IConsumer<TodoDone>
        {
            public Task {|AUD1001:Consume|}(MassTransit.ConsumeContext<TodoDone> context) => db.Todos.Where(t => t.Id == context.Message.Id).ExecuteDeleteAsync();
        }
        public sealed class TodoDoneListener(AppDb db) : NServiceBus.IHandleMessages<TodoDone>
        {
            public Task {|AUD1001:Handle|}(TodoDone message, NServiceBus.IMessageHandlerContext context) => db.SaveChangesAsync();
        }
        public sealed class TodoSeenReaction(AppDb db) : MediatR.INotificationHandler<TodoSeen>
        {
            public Task {|AUD1001:Handle|}(TodoSeen notification, CancellationToken cancellationToken) => db.SaveChangesAsync(cancellationToken);
        }
        public sealed class TodoSeenCounter : MediatR.INotificationHandler<TodoSeen>
        {
            public int Seen { get; private set; }
            public Task Handle(TodoSeen notification, CancellationToken cancellationToken) { Seen++; return Task.CompletedTask; }
        }
        public sealed class TodoLookup(AppDb db) : MediatR.IRequestHandler<TodoQuery, Todo?>
        {
            public Task<Todo?> Handle(TodoQuery request, CancellationToken cancellationToken) => Task.FromResult(db.Todos.Find(request.Id));
        }
        """);

    [Fact]
    public Task Background_services_and_jobs_that_write_are_reported() => Verify(FrameworkStubs.Hosting, """
        public sealed class Cleanup(AppDb db) : Microsoft.Extensions.Hosting.BackgroundService
        {
            protected override Task {|AUD1001:ExecuteAsync|}(CancellationToken stoppingToken) => db.Todos.ExecuteDeleteAsync(stoppingToken);
        }
        public sealed class Heartbeat : Microsoft.Extensions.Hosting.BackgroundService
        {
            protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(1000, stoppingToken);
        }
        public sealed class NightlyArchive(AppDb db) : Quartz.IJob
        {
            public Task {|AUD1001:Execute|}(Quartz.IJobExecutionContext context) => db.SaveChangesAsync();
        }
        [NotLogged("maintenance: rebuilds a cache, audited by the scheduler")]
        public sealed class CacheRebuild(AppDb db) : Quartz.IJob
        {
            public Task Execute(Quartz.IJobExecutionContext context) => db.SaveChangesAsync();
        }
        """);

    [Fact]
    public Task An_applications_own_Map_wrappers_taking_a_Delegate_are_minimal_API_registrations_too() => Verify(FrameworkStubs.MinimalApi, """
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Routing;
        public static class OwnMapExtensions
        {
            public static RouteHandlerBuilder MapPost(this IEndpointRouteBuilder builder, Delegate handler, string pattern = "") => builder.MapPost(pattern, handler);
            public static RouteHandlerBuilder MapGet(this IEndpointRouteBuilder builder, Delegate handler, string pattern = "") => builder.MapGet(pattern, handler);
        }
        public static class Todos
        {
            public static void Map(RouteGroupBuilder group)
            {
                group.MapPost(Create);
                group.MapGet(List);
            }

            public static Task {|AUD1001:Create|}(Todo todo, AppDb db) { db.Todos.Add(todo); return db.SaveChangesAsync(); }

            public static Todo[] List(AppDb db) => db.Todos.ToArray();
        }
        """);

    [Fact]
    public Task FastEndpoints_endpoints_that_write_are_reported_reads_are_not() => Verify(FrameworkStubs.FastEndpoints, """
        public sealed class CreateTodo(AppDb db) : FastEndpoints.Endpoint<Todo, int>
        {
            public override void Configure() { }
            public override async Task<int> {|AUD1001:ExecuteAsync|}(Todo req, CancellationToken ct) { db.Todos.Add(req); await db.SaveChangesAsync(ct); return req.Id; }
        }
        public sealed class GetTodo(AppDb db) : FastEndpoints.Endpoint<int, Todo?>
        {
            public override Task HandleAsync(int req, CancellationToken ct) => Task.FromResult(db.Todos.Find(req));
        }
        """);

    [Fact]
    public Task The_Mediator_librarys_handlers_are_checked_and_its_Send_is_followed() => Verify(FrameworkStubs.Mediator + "\n" + FrameworkStubs.MinimalApi, """
        using Microsoft.AspNetCore.Builder;
        public sealed record RenameTodo(int Id, string Title) : Mediator.ICommand<bool>;
        public sealed record FindTodo(int Id) : Mediator.IQuery<Todo?>;
        public sealed class RenameTodoHandler(AppDb db) : Mediator.ICommandHandler<RenameTodo, bool>
        {
            public async ValueTask<bool> {|AUD1001:Handle|}(RenameTodo command, CancellationToken cancellationToken) => await db.SaveChangesAsync(cancellationToken) > 0;
        }
        public sealed class FindTodoHandler(AppDb db) : Mediator.IQueryHandler<FindTodo, Todo?>
        {
            public ValueTask<Todo?> Handle(FindTodo query, CancellationToken cancellationToken) => new(db.Todos.Find(query.Id));
        }
        public static class TodoEndpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapPut("/todos/{id}", {|AUD1001:(RenameTodo command, Mediator.IMediator mediator) => mediator.Send(command)|});
                app.MapGet("/todos/{id}", (int id, Mediator.ISender sender) => sender.Send(new FindTodo(id)));
            }
        }
        """);

    [Fact]
    public Task A_page_GET_handler_that_creates_what_it_shows_is_a_mutation() => Verify(FrameworkStubs.Mvc, """
        using Microsoft.AspNetCore.Mvc.RazorPages;
        public interface ITodoViewService { Task<Todo> GetOrCreate(int id); Task<Todo?> Find(int id); }
        public sealed class TodoViewService(AppDb db) : ITodoViewService
        {
            public async Task<Todo> GetOrCreate(int id) => await Find(id) ?? await Create(id);
            public Task<Todo?> Find(int id) => Task.FromResult(db.Todos.Find(id));
            private async Task<Todo> Create(int id) { var todo = new Todo { Id = id }; db.Todos.Add(todo); await db.SaveChangesAsync(); return todo; }
        }
        public sealed class TodoPage(ITodoViewService todos) : PageModel
        {
            public Todo? Todo { get; private set; }
            public async Task {|AUD1001:OnGetAsync|}(int id) => Todo = await todos.GetOrCreate(id);
            public async Task OnGetPreviewAsync(int id) => Todo = await todos.Find(id);
        }
        """);

    [Fact]
    public Task Methods_scheduled_as_Hangfire_jobs_that_write_are_reported_ones_that_read_are_not() => Verify(FrameworkStubs.Hangfire, """
        public sealed class TodoJobs(AppDb db)
        {
            public Task {|AUD1001:PurgeDone|}() => db.Todos.Where(t => t.Title == "done").ExecuteDeleteAsync();
            public void {|AUD1001:Compact|}() => db.SaveChanges();
            public Task<int> Count() => Task.FromResult(db.Todos.Count());
            [NotLogged("rebuilds a search index from the log itself")]
            public Task Reindex() => db.SaveChangesAsync();
        }
        public static class Schedules
        {
            public static void Register()
            {
                Hangfire.BackgroundJob.Enqueue<TodoJobs>(jobs => jobs.PurgeDone());
                Hangfire.BackgroundJob.Schedule<TodoJobs>(jobs => jobs.Count(), TimeSpan.FromMinutes(5));
                Hangfire.BackgroundJob.Enqueue<TodoJobs>(jobs => jobs.Reindex());
                Hangfire.RecurringJob.AddOrUpdate<TodoJobs>("compact", jobs => jobs.Compact(), "0 3 * * *");
            }
        }
        """);
}
