using AuditGen.CodeFixes;
namespace AuditGen.Analyzers.Tests;

public class CodeFixTests
{
    private const string Repository = """
        public interface ITaskRepository
        {
            System.Threading.Tasks.Task DeleteAsync(System.Guid id);
            System.Threading.Tasks.Task AddAsync(System.Guid id);
        }
        """;

    [Theory]
    [InlineData("CreateTaskUseCase", "ExecuteAsync", "create_task", "Task")]
    [InlineData("ArchiveProjectHandler", "Handle", "archive_project", "Project")]
    [InlineData("DeleteTaskCommandHandler", "HandleAsync", "delete_task", "Task")]
    [InlineData("TaskUseCase", "CompleteAsync", "complete_task", "Task")]
    [InlineData("BoardHandler", "MoveCardAsync", "move_card", "Card")]
    [InlineData("ImportCSVUseCase", "Run", "import_csv", "CSV")]
    [InlineData("PingUseCase", "Execute", "ping", null)]
    public void Names_derive_from_the_type_and_method(string type, string method, string action, string? entityType) =>
        Assert.Equal((action, entityType), UseCaseNames.Derive(type, method));

    [Fact]
    public Task Adds_LogsActivity_with_a_derived_name_and_entity_type_and_the_using() =>
        new CodeFixTest<AddLogsActivityCodeFix>($$"""
            using System;
            using System.Threading.Tasks;

            public sealed class ArchiveProjectHandler(ITaskRepository repo)
            {
                public Task {|AUD1001:Handle|}(Guid id) => repo.DeleteAsync(id);
            }
            {{Repository}}
            """, $$"""
            using System;
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class ArchiveProjectHandler(ITaskRepository repo)
            {
                [LogsActivity("archive_project", EntityType = "Project")]
                public Task Handle(Guid id) => repo.DeleteAsync(id);
            }
            {{Repository}}
            """).RunAsync();

    [Fact]
    public Task Does_not_offer_LogsActivity_on_a_consumer_its_bus_resolves_by_class()
    {
        string source = $$"""
            using System;
            using System.Threading.Tasks;

            public sealed record ProjectArchived(Guid Id);

            public sealed class ProjectArchivedConsumer(ITaskRepository repo) : MassTransit.IConsumer<ProjectArchived>
            {
                public Task {|AUD1001:Consume|}(MassTransit.ConsumeContext<ProjectArchived> context) => repo.DeleteAsync(context.Message.Id);
            }
            {{Repository}}
            {{FrameworkStubs.Messaging}}
            """;
        return new CodeFixTest<AddLogsActivityCodeFix>(source, source).RunAsync(); // no fix: [LogsActivity] there would be AUD0008
    }

    [Fact]
    public Task Adds_NotLogged_with_a_reason_to_write() =>
        new CodeFixTest<AddNotLoggedCodeFix>($$"""
            using System;
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class PurgeUseCase(ITaskRepository repo)
            {
                public Task {|AUD1001:ExecuteAsync|}(Guid id) => repo.DeleteAsync(id);
            }
            {{Repository}}
            """, $$"""
            using System;
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class PurgeUseCase(ITaskRepository repo)
            {
                [NotLogged("{{AddNotLoggedCodeFix.Placeholder}}")]
                public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
            }
            {{Repository}}
            """).RunAsync();

    [Fact]
    public async Task Fix_all_logs_every_unlogged_method_in_the_document()
    {
        var test = new CodeFixTest<AddLogsActivityCodeFix>($$"""
            using System;
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class CreateTaskUseCase(ITaskRepository repo)
            {
                public Task {|AUD1001:ExecuteAsync|}(Guid id) => repo.AddAsync(id);
            }

            public sealed class DeleteTaskUseCase(ITaskRepository repo)
            {
                public Task {|AUD1001:ExecuteAsync|}(Guid id) => repo.DeleteAsync(id);
            }

            public sealed class TaskCommandHandler(ITaskRepository repo)
            {
                public Task {|AUD1001:RemoveAsync|}(Guid id) => repo.DeleteAsync(id);

                public Task {|AUD1001:RestoreAsync|}(Guid id) => repo.AddAsync(id);
            }
            {{Repository}}
            """, $$"""
            using System;
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class CreateTaskUseCase(ITaskRepository repo)
            {
                [LogsActivity("create_task", EntityType = "Task")]
                public Task ExecuteAsync(Guid id) => repo.AddAsync(id);
            }

            public sealed class DeleteTaskUseCase(ITaskRepository repo)
            {
                [LogsActivity("delete_task", EntityType = "Task")]
                public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
            }

            public sealed class TaskCommandHandler(ITaskRepository repo)
            {
                [LogsActivity("remove_task", EntityType = "Task")]
                public Task RemoveAsync(Guid id) => repo.DeleteAsync(id);

                [LogsActivity("restore_task", EntityType = "Task")]
                public Task RestoreAsync(Guid id) => repo.AddAsync(id);
            }
            {{Repository}}
            """);
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfIncrementalIterations = 4;
        test.CodeActionEquivalenceKey = nameof(AddLogsActivityCodeFix);
        await test.RunAsync();
    }

    [Fact]
    public async Task Fix_all_excuses_every_unlogged_method_and_keeps_existing_attributes()
    {
        var test = new CodeFixTest<AddNotLoggedCodeFix>($$"""
            using System;
            using System.Threading.Tasks;

            public sealed class MaintenanceHandler(ITaskRepository repo)
            {
                [Obsolete("use the new job")]
                public Task {|AUD1001:PurgeAsync|}(Guid id) => repo.DeleteAsync(id);

                public Task {|AUD1001:SeedAsync|}(Guid id) => repo.AddAsync(id);
            }
            {{Repository}}
            """, $$"""
            using System;
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class MaintenanceHandler(ITaskRepository repo)
            {
                [NotLogged("{{AddNotLoggedCodeFix.Placeholder}}")]
                [Obsolete("use the new job")]
                public Task PurgeAsync(Guid id) => repo.DeleteAsync(id);

                [NotLogged("{{AddNotLoggedCodeFix.Placeholder}}")]
                public Task SeedAsync(Guid id) => repo.AddAsync(id);
            }
            {{Repository}}
            """);
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfIncrementalIterations = 2;
        test.CodeActionEquivalenceKey = nameof(AddNotLoggedCodeFix);
        await test.RunAsync();
    }

    private const string Endpoints = """
        public sealed class Todo { public int Id { get; set; } }
        public sealed class AppDb : Microsoft.EntityFrameworkCore.DbContext { public Microsoft.EntityFrameworkCore.DbSet<Todo> Todos { get; } = null!; }
        """;

    [Theory]
    [InlineData("MapPost", "/api/todos", "create_todo", "Todo")]
    [InlineData("MapDelete", "/todos/{id}", "delete_todo", "Todo")]
    [InlineData("MapPut", "/{id}", "update", null)]
    public void Mapped_lambda_names_derive_from_the_verb_and_the_route(string map, string route, string action, string? entityType) =>
        Assert.Equal((action, entityType), UseCaseNames.FromRoute(map, route));

    [Fact]
    public Task Logs_a_controller_action_in_place() =>
        new CodeFixTest<AddLogsActivityCodeFix>($$"""
            using System.Threading.Tasks;

            public sealed class TodosController(AppDb db) : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                public Task {|AUD1001:Create|}(Todo todo) { db.Todos.Add(todo); return db.SaveChangesAsync(); }
            }
            {{Endpoints}}
            {{References.EfStubs}}
            {{FrameworkStubs.Mvc}}
            """, $$"""
            using System.Threading.Tasks;
            using AuditGen;

            public sealed class TodosController(AppDb db) : Microsoft.AspNetCore.Mvc.ControllerBase
            {
                [LogsActivity("create_todos", EntityType = "Todos")]
                public Task Create(Todo todo) { db.Todos.Add(todo); return db.SaveChangesAsync(); }
            }
            {{Endpoints}}
            {{References.EfStubs}}
            {{FrameworkStubs.Mvc}}
            """).RunAsync();

    [Fact]
    public Task Logs_a_mapped_lambda_with_a_name_from_its_route() =>
        new CodeFixTest<AddLogsActivityCodeFix>($$"""
            using Microsoft.AspNetCore.Builder;

            public static class TodoEndpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapPost("/api/todos", {|AUD1001:async (Todo todo, AppDb db) => { db.Todos.Add(todo); await db.SaveChangesAsync(); }|});
            }
            {{Endpoints}}
            {{References.EfStubs}}
            {{FrameworkStubs.MinimalApi}}
            """, $$"""
            using AuditGen;
            using Microsoft.AspNetCore.Builder;

            public static class TodoEndpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapPost("/api/todos", [LogsActivity("create_todo", EntityType = "Todo")] async (Todo todo, AppDb db) => { db.Todos.Add(todo); await db.SaveChangesAsync(); });
            }
            {{Endpoints}}
            {{References.EfStubs}}
            {{FrameworkStubs.MinimalApi}}
            """).RunAsync();

    [Fact]
    public Task Excuses_a_mapped_lambda() =>
        new CodeFixTest<AddNotLoggedCodeFix>($$"""
            using Microsoft.AspNetCore.Builder;

            public static class TodoEndpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapDelete("/todos", {|AUD1001:(AppDb db) => db.SaveChangesAsync()|});
            }
            {{Endpoints}}
            {{References.EfStubs}}
            {{FrameworkStubs.MinimalApi}}
            """, $$"""
            using AuditGen;
            using Microsoft.AspNetCore.Builder;

            public static class TodoEndpoints
            {
                public static void Map(WebApplication app) =>
                    app.MapDelete("/todos", [NotLogged("{{AddNotLoggedCodeFix.Placeholder}}")] (AppDb db) => db.SaveChangesAsync());
            }
            {{Endpoints}}
            {{References.EfStubs}}
            {{FrameworkStubs.MinimalApi}}
            """).RunAsync();
}
