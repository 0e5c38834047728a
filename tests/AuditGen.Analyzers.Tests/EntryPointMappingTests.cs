using System.Collections.Immutable;
using AuditGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AuditGen.Analyzers.Tests;

/// <summary>
/// [LogsActivity] on entry points, against ASP.NET Core's own assemblies: AUD0008 no longer fires on minimal-API handlers
/// (method groups, lambdas) or synchronous controller actions, and fires, with the reason, on shapes that cannot be logged.
/// </summary>
public class EntryPointMappingTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Routing;

        public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);
        public sealed record Other(Guid Id);
        public sealed record CreateTaskInput(string Title);

        """;

    private static readonly ImmutableArray<MetadataReference> AspNetCore =
    [
        .. References.All,
        .. Directory.GetFiles(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!, "*.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    private sealed class Test : CSharpAnalyzerTest<UseCaseMappingAnalyzer, DefaultVerifier>
    {
        private readonly bool _interceptors;
        private readonly string _otherNamespaces;

        public Test(string source, bool interceptors, string otherNamespaces = "")
        {
            _interceptors = interceptors;
            _otherNamespaces = otherNamespaces;
            TestCode = Prelude + source;
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(AspNetCore);
        }

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

        protected override ParseOptions CreateParseOptions() =>
            _interceptors
                ? new CSharpParseOptions(LanguageVersion.Latest).WithFeatures([new("InterceptorsNamespaces", KnownTypes.GeneratedNamespace + _otherNamespaces)])
                : new CSharpParseOptions(LanguageVersion.Latest);
    }

    private static Task Verify(string source, bool interceptors = true) => new Test(source, interceptors).RunAsync();

    [Fact]
    public Task A_static_method_group_and_a_lambda_mapped_on_a_route_group_are_loggable() => Verify("""
        public static class TaskEndpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                RouteGroupBuilder group = app.MapGroup("/tasks");
                group.MapPost("/", [LogsActivity("create_task", EntityType = "Task")] (CreateTaskInput input) =>
                    TypedResults.Created("/tasks/1", new TaskItem(Guid.NewGuid(), Guid.NewGuid(), input.Title)));
                group.MapDelete("/{id:guid}", Delete);
            }

            [LogsActivity("delete_task", EntityType = "Task")]
            public static Results<NoContent, NotFound> Delete(Guid id) => TypedResults.NoContent();
        }
        """);

    [Fact]
    public Task A_synchronous_controller_action_is_loggable() => Verify("""
        [ApiController]
        public sealed class TasksController : ControllerBase
        {
            [HttpPost]
            [LogsActivity("create_task", EntityType = "Task")]
            public ActionResult<TaskItem> Create(CreateTaskInput input) => CreatedAtAction("Get", new TaskItem(Guid.NewGuid(), Guid.NewGuid(), input.Title));
        }
        """);

    [Fact]
    public Task A_Map_call_in_its_static_form_is_loggable() => Verify("""
        public static class TaskEndpoints
        {
            public static void Map(IEndpointRouteBuilder app) => EndpointRouteBuilderExtensions.MapDelete(app, "/tasks/{id:guid}", Delete);

            [LogsActivity("delete_task", EntityType = "Task")]
            public static NoContent Delete(Guid id) => TypedResults.NoContent();
        }
        """);

    [Fact]
    public Task AUD0008_a_logged_lambda_that_is_not_a_mapped_handler() => Verify("""
        public static class Jobs
        {
            public static Func<Guid, Task> Archive = [{|AUD0008:LogsActivity("archive_task", EntityType = "Task")|}] (Guid id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0008_successful_results_that_carry_different_values() => Verify("""
        public static class TaskEndpoints
        {
            public static void Map(IEndpointRouteBuilder app) => app.MapPost("/tasks", Create);

            [{|AUD0008:LogsActivity("create_task")|}]
            public static Results<Created<TaskItem>, Ok<Other>, NotFound> Create(CreateTaskInput input) => TypedResults.NotFound();
        }
        """);

    [Fact]
    public Task AUD0005_a_mapped_handler_without_an_entity_id_source() => Verify("""
        public static class TaskEndpoints
        {
            public static void Map(IEndpointRouteBuilder app) => app.MapPost("/tasks", Create);

            [{|AUD0005:LogsActivity("create_task", EntityType = "Task")|}]
            public static IResult Create(CreateTaskInput input) => Results.Ok();
        }
        """);

    [Fact]
    public Task AUD0009_a_mapped_handler_when_the_Request_Delegate_Generator_intercepts_Map_calls() => new Test("""
        public static class TaskEndpoints
        {
            public static void Map(IEndpointRouteBuilder app)
            {
                {|AUD0009:app.MapDelete("/tasks/{id:guid}", Delete)|};
                {|AUD0009:app.MapPost("/tasks", [LogsActivity("create_task", EntityType = "Task")] (CreateTaskInput input) =>
                    TypedResults.Created("/tasks/1", new TaskItem(Guid.NewGuid(), Guid.NewGuid(), input.Title)))|};
                app.MapGet("/tasks", () => TypedResults.Ok());
            }

            [LogsActivity("delete_task", EntityType = "Task")]
            public static NoContent Delete(Guid id) => TypedResults.NoContent();
        }
        """, interceptors: true, otherNamespaces: ";Microsoft.AspNetCore.Http.Generated").RunAsync();

    [Fact]
    public Task AUD0009_a_mapped_handler_without_interceptors() => Verify("""
        public static class TaskEndpoints
        {
            public static void Map(IEndpointRouteBuilder app) => {|AUD0009:app.MapDelete("/tasks/{id:guid}", Delete)|};

            [LogsActivity("delete_task", EntityType = "Task")]
            public static NoContent Delete(Guid id) => TypedResults.NoContent();
        }
        """, interceptors: false);
}
