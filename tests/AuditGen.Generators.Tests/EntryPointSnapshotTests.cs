using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace AuditGen.Generators.Tests;

/// <summary>
/// The generated code for each kind of logged entry point (minimal-API handlers, controller actions, Razor Pages handlers):
/// snapshotted, and compiled against ASP.NET Core without warnings.
/// </summary>
public class EntryPointSnapshotTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Routing;

        """;

    /// <summary>The compilation's references plus ASP.NET Core's shared framework (the assemblies this test runs on).</summary>
    internal static readonly ImmutableArray<MetadataReference> AspNetCoreReferences =
    [
        .. TestCompilation.References,
        .. Directory.GetFiles(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!, "*.dll")
            .Select(path => MetadataReference.CreateFromFile(path)),
    ];

    internal static (Compilation Output, IReadOnlyDictionary<string, string> Generated, Compilation Input) Run(params string[] sources)
    {
        var compilation = TestCompilation.Create("TestProject", AspNetCoreReferences, [.. sources.Select(s => Usings + s)]);
        (Compilation output, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(compilation);
        return (output, generated, compilation);
    }

    private static void Verify(string name, params string[] sources)
    {
        (Compilation output, IReadOnlyDictionary<string, string> generated, Compilation input) = Run(sources);
        Assert.Empty(TestCompilation.Problems(output, input));
        Assert.NotEmpty(generated);
        foreach ((string hint, string text) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Snapshot.Match(text, $"{name}.{hint.Replace(".g.cs", "")}");
        }
    }

    private const string Tasks = """
        namespace TaskBoard;

        public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);
        public sealed record CreateTaskInput([property: ActivityMetadata] string Title);
        public sealed record RenameTaskRequest(Guid Id, [property: ActivityMetadata] string Title);

        public sealed class TaskStore
        {
            public TaskItem? Find(Guid id) => null;
        }

        """;

    [Fact]
    public void Minimal_api_lambda_and_method_group_on_a_route_group() => Verify(nameof(Minimal_api_lambda_and_method_group_on_a_route_group), Tasks + """
        public static class TaskEndpoints
        {
            public static RouteGroupBuilder MapTasks(this IEndpointRouteBuilder app)
            {
                RouteGroupBuilder group = app.MapGroup("/tasks");
                group.MapPost("/", [LogsActivity("create_task", EntityType = "Task")] (CreateTaskInput input, Guid userId) =>
                    TypedResults.Created($"/tasks/{Guid.Empty}", new TaskItem(Guid.NewGuid(), userId, input.Title)));
                group.MapPut("/{id:guid}", RenameAsync);
                group.MapDelete("/{id:guid}", Delete);
                group.MapGet("/{id:guid}", (Guid id, TaskStore store) => store.Find(id));
                return group;
            }

            [LogsActivity("rename_task", EntityType = "Task")]
            public static async Task<Results<Ok<TaskItem>, NotFound>> RenameAsync([AsParameters] RenameTaskRequest request, TaskStore store, CancellationToken cancellationToken)
            {
                await Task.Yield();
                return store.Find(request.Id) is { } task ? TypedResults.Ok(task with { Title = request.Title }) : TypedResults.NotFound();
            }

            [LogsActivity("delete_task", EntityType = "Task")]
            public static Results<NoContent, NotFound, ProblemHttpResult> Delete(Guid id, [Actor] Guid userId) => TypedResults.NoContent();
        }
        """);

    [Fact]
    public void Controller_actions_with_ActionResult_and_CreatedAtAction() => Verify(nameof(Controller_actions_with_ActionResult_and_CreatedAtAction), Tasks + """
        [Microsoft.AspNetCore.Mvc.ApiController]
        [Microsoft.AspNetCore.Mvc.Route("api/tasks")]
        public sealed class TasksController(TaskStore store) : Microsoft.AspNetCore.Mvc.ControllerBase
        {
            [Microsoft.AspNetCore.Mvc.HttpPost]
            [LogsActivity("create_task", EntityType = "Task")]
            public async Task<Microsoft.AspNetCore.Mvc.ActionResult<TaskItem>> Create(CreateTaskInput input, CancellationToken cancellationToken)
            {
                await Task.Yield();
                var task = new TaskItem(Guid.NewGuid(), Guid.NewGuid(), input.Title);
                return CreatedAtAction(nameof(Get), new { id = task.Id }, task);
            }

            [Microsoft.AspNetCore.Mvc.HttpGet("{id:guid}")]
            public Microsoft.AspNetCore.Mvc.ActionResult<TaskItem> Get(Guid id) => store.Find(id) is { } task ? task : NotFound();

            [Microsoft.AspNetCore.Mvc.HttpDelete("{id:guid}")]
            [LogsActivity("delete_task", EntityType = "Task")]
            public Microsoft.AspNetCore.Mvc.IActionResult Delete(Guid id) => store.Find(id) is null ? NotFound() : NoContent();
        }
        """);

    [Fact]
    public void A_Map_call_in_its_static_form_is_intercepted_like_the_extension_form()
    {
        (Compilation output, IReadOnlyDictionary<string, string> generated, Compilation input) = Run(Tasks + """
            public static class TaskEndpoints
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    EndpointRouteBuilderExtensions.MapDelete(app, "/tasks/{id:guid}", Delete);
                    app.MapDelete("/tasks/{id:guid}/archive", Delete);
                }

                [LogsActivity("delete_task", EntityType = "Task")]
                public static NoContent Delete(Guid id) => TypedResults.NoContent();
            }
            """);

        Assert.Empty(TestCompilation.Problems(output, input));
        string endpoints = generated["AuditGen.Endpoints.g.cs"];
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(endpoints, @"InterceptsLocation\(")); // both calls
    }

    [Fact]
    public void No_Map_call_is_intercepted_when_the_Request_Delegate_Generator_intercepts_them()
    {
        // EnableRequestDelegateGenerator (on with PublishAot) lets ASP.NET Core's generator intercept every Map* call; a second
        // interceptor of the same call is CS9153, so the generator leaves them to it and the analyzer reports AUD0009.
        var options = TestCompilation.ParseOptions.WithFeatures([new("InterceptorsNamespaces", $"{KnownTypes.GeneratedNamespace};Microsoft.AspNetCore.Http.Generated")]);
        Microsoft.CodeAnalysis.CSharp.CSharpCompilation compilation = TestCompilation.Create("TestProject", AspNetCoreReferences, Usings + Tasks + """
            public static class TaskEndpoints
            {
                public static void Map(IEndpointRouteBuilder app) => app.MapDelete("/tasks/{id:guid}", Delete);

                [LogsActivity("delete_task", EntityType = "Task")]
                public static NoContent Delete(Guid id) => TypedResults.NoContent();
            }
            """);
        compilation = compilation.ReplaceSyntaxTree(compilation.SyntaxTrees.Single(), compilation.SyntaxTrees.Single().WithRootAndOptions(compilation.SyntaxTrees.Single().GetRoot(), options));

        Microsoft.CodeAnalysis.CSharp.CSharpGeneratorDriver.Create([new LoggedUseCaseGenerator().AsSourceGenerator()], parseOptions: options)
            .RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);

        string[] hints = [.. output.SyntaxTrees.Skip(1).Select(t => Path.GetFileName(t.FilePath))];
        Assert.DoesNotContain("AuditGen.Endpoints.g.cs", hints);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Razor_pages_handler() => Verify(nameof(Razor_pages_handler), Tasks + """
        public sealed class EditModel(TaskStore store) : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
        {
            public void OnGet(Guid id)
            {
            }

            [LogsActivity("rename_task", EntityType = "Task")]
            public async Task<Microsoft.AspNetCore.Mvc.IActionResult> OnPostAsync(Guid id, [ActivityMetadata] string title)
            {
                await Task.Yield();
                return store.Find(id) is null ? NotFound() : RedirectToPage("Index");
            }
        }
        """);

    [Fact]
    public void Bus_consumer_with_the_system_actor() => Verify(nameof(Bus_consumer_with_the_system_actor), """
        namespace Rebus.Handlers
        {
            public interface IHandleMessages<in TMessage>
            {
                Task Handle(TMessage message);
            }
        }

        namespace Archive
        {
            public sealed record TaskArchived([property: EntityId] Guid TaskId);

            public sealed class ArchiveTaskConsumer : Rebus.Handlers.IHandleMessages<TaskArchived>
            {
                [LogsActivity("archive_task", EntityType = "Task")]
                public Task Handle(TaskArchived message) => Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public void An_edit_in_another_file_leaves_the_entry_point_steps_cached_and_a_handler_edit_does_not()
    {
        const string Program = """
            public static class Program
            {
                public static void Map(IEndpointRouteBuilder app)
                {
                    app.MapPost("/tasks", [LogsActivity("create_task", EntityType = "Task")] (TaskBoard.CreateTaskInput input) =>
                        TypedResults.Created("/tasks/1", new TaskBoard.TaskItem(Guid.NewGuid(), Guid.NewGuid(), input.Title)));
                }
            }
            """;
        const string Unrelated = "public static class Unrelated { public static int Add(int a, int b) => a + b; }";
        var compilation = TestCompilation.Create("TestProject", AspNetCoreReferences, Usings + Tasks, Usings + Program, Unrelated);
        GeneratorDriver driver = TestCompilation.Driver().RunGenerators(compilation);
        SyntaxTree program = compilation.SyntaxTrees.ElementAt(1), unrelatedTree = compilation.SyntaxTrees.Last();

        // (An edit in the file of the Map call changes its interceptable location, whose data hashes the file: like any interceptor.)
        GeneratorRunResult Rerun(SyntaxTree tree, string edited) => driver.RunGenerators(compilation.ReplaceSyntaxTree(tree,
            tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(edited)))).GetRunResult().Results.Single();

        GeneratorRunResult unrelated = Rerun(unrelatedTree, Unrelated.Replace("a + b", "b + a"));
        foreach (string step in new[] { LoggedUseCaseGenerator.EntryPointSteps.CollectedMappedEndpoints, LoggedUseCaseGenerator.EntryPointSteps.CollectedLoggedActions })
        {
            Assert.All(unrelated.TrackedSteps[step].SelectMany(s => s.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {o.Reason}"));
        }

        GeneratorRunResult renamed = Rerun(program, program.GetText().ToString().Replace("\"create_task\"", "\"add_task\""));
        Assert.Contains(renamed.TrackedSteps[LoggedUseCaseGenerator.EntryPointSteps.CollectedMappedEndpoints].SelectMany(s => s.Outputs),
            o => o.Reason == IncrementalStepRunReason.Modified);
    }
}
