using Microsoft.CodeAnalysis;

namespace AuditGen.Generators.Tests;

/// <summary>The generated code for each shape of use case: snapshotted, and compiled without warnings.</summary>
public class GeneratorSnapshotTests
{
    private const string Usings = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;

        """;

    private static void Verify(string name, params string[] sources)
    {
        var compilation = TestCompilation.Create([.. sources.Select(s => Usings + s)]);
        (Compilation output, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(compilation);

        Assert.Empty(TestCompilation.Problems(output, compilation));
        Assert.NotEmpty(generated);
        foreach ((string hint, string text) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Snapshot.Match(text, $"{name}.{hint.Replace(".g.cs", "")}");
        }
    }

    [Fact]
    public void Generated_code_states_the_generator_assemblys_own_version_which_snapshots_scrub()
    {
        Version version = typeof(LoggedUseCaseGenerator).Assembly.GetName().Version!;
        (_, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(TestCompilation.Create(Usings + """
            public sealed partial class Ping(IActivityLogRepo log)
            {
                [LogsActivity("ping", EntityType = "Ping")]
                public Task RunAsync(Guid actorId, Guid id) => Task.CompletedTask;
            }
            """));

        string code = generated["AuditGen.Registration.g.cs"];
        Assert.Contains($"GeneratedCode(\"AuditGen\", \"{version.Major}.{version.Minor}.{version.Build}\")", code);
        Assert.Contains("GeneratedCode(\"AuditGen\", \"{version}\")", Snapshot.Scrub(code));
        Assert.Equal("InterceptsLocation(1, \"{data}\")", Snapshot.Scrub("InterceptsLocation(1, \"PiOd3VgAzhftLeV2RFlGQpoFAABGaWxlMC5jcw==\")"));
    }

    [Fact]
    public void A_missing_snapshot_fails_and_writes_what_was_received()
    {
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            return; // accepting snapshots: a missing one is written, by design
        }

        const string name = "Missing_snapshot_probe";
        Assert.ThrowsAny<Exception>(() => Snapshot.Match("// generated\n", name));
        string received = Snapshot.PathOf(name, "received");
        Assert.True(File.Exists(received));
        Assert.False(File.Exists(Snapshot.PathOf(name, "verified")));
        File.Delete(received);
    }

    [Fact]
    public void Task_method_with_result_mapping() => Verify(nameof(Task_method_with_result_mapping), """
        namespace TaskBoard;

        public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);
        public sealed record CreateTaskInput([property: ActivityMetadata] string Title);

        public interface ICreateTaskUseCase
        {
            Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default);
        }

        public sealed partial class CreateTaskUseCase(IActivityLogRepo log) : ICreateTaskUseCase
        {
            [LogsActivity("create_task", EntityType = "Task")]
            public Task<TaskItem> ExecuteAsync(Guid actorId, CreateTaskInput input, CancellationToken cancellationToken = default) =>
                Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, input.Title));
        }
        """);

    [Fact]
    public void ValueTask_method() => Verify(nameof(ValueTask_method), """
        namespace TaskBoard;

        public interface IArchiveTask
        {
            ValueTask ArchiveAsync([Actor] Guid by, [Owner] Guid owner, [EntityId] string taskKey, CancellationToken cancellationToken);
        }

        public sealed class ArchiveTask : IArchiveTask
        {
            [LogsActivity("archive_task", EntityType = "Task")]
            public ValueTask ArchiveAsync([Actor] Guid by, [Owner] Guid owner, [EntityId] string taskKey, CancellationToken cancellationToken) => default;
        }
        """);

    [Fact]
    public void Generic_handler_interface() => Verify(nameof(Generic_handler_interface), """
        namespace Projects;

        public interface IRequestHandler<in TRequest, TResponse>
        {
            Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken);
        }

        public sealed record CreateProject([property: Actor] Guid ActorId, string Name);
        public sealed record Project(Guid Id, Guid OwnerId, string Name);

        public sealed class CreateProjectHandler : IRequestHandler<CreateProject, Project>
        {
            [LogsActivity("create_project")]
            public Task<Project> Handle(CreateProject request, CancellationToken cancellationToken) =>
                Task.FromResult(new Project(Guid.NewGuid(), request.ActorId, request.Name));
        }
        """);

    [Fact]
    public void Metadata_from_parameter_properties() => Verify(nameof(Metadata_from_parameter_properties), """
        namespace Billing;

        public enum Plan { Free, Pro }

        public sealed class ChangePlan
        {
            [EntityId] public Guid SubscriptionId { get; init; }
            [ActivityMetadata("plan")] public Plan NewPlan { get; init; }
            [ActivityMetadata] public decimal MonthlyPrice { get; init; }
            [ActivityMetadata] public string[] Seats { get; init; } = [];
            public string CardNumber { get; init; } = "";   // not marked: never logged
        }

        public interface IChangePlan
        {
            Task ExecuteAsync(Guid actorId, ChangePlan command, [ActivityMetadata("reason")] string? reason, CancellationToken cancellationToken);
        }

        public sealed class ChangePlanUseCase : IChangePlan
        {
            [LogsActivity("change_plan")]
            public Task ExecuteAsync(Guid actorId, ChangePlan command, [ActivityMetadata("reason")] string? reason, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """);

    [Fact]
    public void Personal_metadata_is_wrapped_for_its_data_subject() => Verify(nameof(Personal_metadata_is_wrapped_for_its_data_subject), """
        namespace Microsoft.AspNetCore.Identity
        {
            // ASP.NET Core Identity's attributes, recognised by name: no Identity reference is needed.
            [AttributeUsage(AttributeTargets.Property)] public class PersonalDataAttribute : Attribute { }
            [AttributeUsage(AttributeTargets.Property)] public class ProtectedPersonalDataAttribute : PersonalDataAttribute { }
        }

        namespace Crm
        {
            public sealed class RenameContact
            {
                [EntityId] public Guid ContactId { get; init; }
                [Owner] public Guid AccountId { get; init; }
                [ActivityMetadata, Microsoft.AspNetCore.Identity.PersonalData] public string Name { get; init; } = "";
                [ActivityMetadata, Microsoft.AspNetCore.Identity.ProtectedPersonalData] public string? Email { get; init; }
                [ActivityMetadata] public string Source { get; init; } = "";   // not personal: stays in clear
            }

            public sealed class NoteOnPatient
            {
                [EntityId] public Guid NoteId { get; init; }
                [DataSubject] public Guid PatientId { get; init; }
                [ActivityMetadata, AuditGen.PersonalData] public string[] Symptoms { get; init; } = [];
            }

            public interface IContactCommands
            {
                Task RenameAsync(Guid actorId, RenameContact command, CancellationToken cancellationToken);
                Task NoteAsync(Guid actorId, NoteOnPatient note, string? phone);
            }

            public sealed class ContactCommands : IContactCommands
            {
                [LogsActivity("rename_contact", EntityType = "Contact")]
                public Task RenameAsync(Guid actorId, RenameContact command, CancellationToken cancellationToken) => Task.CompletedTask;

                [LogsActivity("note_on_patient", EntityType = "Note")]
                public Task NoteAsync(Guid actorId, NoteOnPatient note, [ActivityMetadata("phone"), PersonalData] string? phone) => Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public void Class_level_attribute() => Verify(nameof(Class_level_attribute), """
        namespace TaskBoard;

        public sealed record TaskItem(Guid Id, Guid OwnerId);

        [LogsActivity("complete_task", EntityType = "Task")]
        public sealed partial class CompleteTask(IActivityLogRepo log, IActorAccessor actors)
        {
            public Task<TaskItem> RunAsync(Guid taskId, CancellationToken cancellationToken) =>
                Task.FromResult(new TaskItem(taskId, Guid.NewGuid()));

            private Task HelperAsync() => Task.CompletedTask;
        }
        """);

    [Fact]
    public void Two_logged_methods_in_one_interface() => Verify(nameof(Two_logged_methods_in_one_interface), """
        [assembly: LoggedUseCasesRegistration("AddTaskCommands")]

        namespace TaskBoard;

        public interface ITaskCommands
        {
            Task StartAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default);
            Task StopAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default);
            int Running { get; }
            string this[int index] { get; set; }
            event EventHandler? Changed;
            T Echo<T>(T value);
        }

        public sealed partial class TaskCommands : ITaskCommands
        {
            private readonly IActivityLogRepo _log;

            public TaskCommands(IActivityLogRepo log) => _log = log;

            public int Running => 0;
            public string this[int index] { get => ""; set { } }
            public event EventHandler? Changed;
            public T Echo<T>(T value) => value;

            [LogsActivity("start_task", EntityType = "Task")]
            public Task StartAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default) => Task.CompletedTask;

            [LogsActivity("stop_task", EntityType = "Task")]
            public Task StopAsync(Guid actorId, [EntityId] Guid taskId, CancellationToken cancellationToken = default)
            {
                Changed?.Invoke(this, EventArgs.Empty);
                return Task.CompletedTask;
            }
        }

        public static class Caller
        {
            public static Task Run(TaskCommands commands, Guid actor, Guid task) => commands.StartAsync(actor, task);
        }
        """);

    [Fact]
    public void Two_logged_overloads_through_DI_and_direct_calls() => Verify(nameof(Two_logged_overloads_through_DI_and_direct_calls), """
        namespace Shop;

        public interface IOrders
        {
            Task CancelAsync(Guid actorId, Guid orderId);
            Task CancelAsync(Guid actorId, Guid orderId, string reason);
        }

        public sealed partial class Orders(IActivityLogRepo log) : IOrders
        {
            [LogsActivity("cancel_order", EntityType = "Order")]
            public Task CancelAsync(Guid actorId, [EntityId] Guid orderId) => Task.CompletedTask;

            [LogsActivity("cancel_order_with_reason", EntityType = "Order")]
            public Task CancelAsync(Guid actorId, [EntityId] Guid orderId, [ActivityMetadata] string reason) => Task.CompletedTask;
        }

        public static class Caller
        {
            public static async Task RunAsync(Orders orders, Guid actor)
            {
                await orders.CancelAsync(actor, Guid.NewGuid());
                await orders.CancelAsync(actor, Guid.NewGuid(), "duplicate");
            }
        }
        """);

    [Fact]
    public void Parameters_named_like_the_generated_locals_get_numbered_locals() => Verify(nameof(Parameters_named_like_the_generated_locals_get_numbered_locals), """
        namespace Games;

        public sealed class Result<T>
        {
            public bool IsSuccess { get; init; }
            public T Value { get; init; } = default!;
        }

        public sealed record Match(Guid Id, string Score);

        public interface IRecordResult
        {
            Task<Result<Match>> RecordAsync(Guid actorId, string result, string activityTransaction, string useCase, string logged, string result1);
        }

        public sealed partial class RecordResult(IActivityLogRepo log) : IRecordResult
        {
            [LogsActivity("record_result", EntityType = "Match")]
            public Task<Result<Match>> RecordAsync(Guid actorId, [ActivityMetadata] string result, string activityTransaction, string useCase, string logged, string result1) =>
                Task.FromResult(new Result<Match> { IsSuccess = true, Value = new Match(Guid.NewGuid(), result) });
        }

        public static class Caller
        {
            public static Task<Result<Match>> RunAsync(RecordResult useCase, Guid actor) => useCase.RecordAsync(actor, "3-1", "t", "u", "l", "r");
        }
        """);

    [Fact]
    public void Integer_and_strongly_typed_ids_and_wrapped_results() => Verify(nameof(Integer_and_strongly_typed_ids_and_wrapped_results), """
        namespace Contributors;

        public readonly record struct ContributorId(int Value);
        public sealed record Contributor(ContributorId Id, Guid OwnerId, string Name);
        public sealed record DeleteContributor(ContributorId Id);
        public sealed class Result<T>
        {
            public bool IsSuccess { get; init; }
            public T Value { get; init; } = default!;
        }

        public interface IContributorHandlers
        {
            Task<int> CreateAsync(Guid actorId, string name, CancellationToken cancellationToken);
            Task<Result<Contributor>> UpdateAsync(Guid actorId, int id, string name, CancellationToken cancellationToken);
            Task DeleteAsync(Guid actorId, DeleteContributor request, CancellationToken cancellationToken);
        }

        public sealed partial class ContributorHandlers(IActivityLogRepo log) : IContributorHandlers
        {
            [LogsActivity("create_contributor", EntityType = "Contributor \"quoted\"")]
            public Task<int> CreateAsync(Guid actorId, [ActivityMetadata] string name, CancellationToken cancellationToken) => Task.FromResult(42);

            [LogsActivity("update_contributor")]
            public Task<Result<Contributor>> UpdateAsync(Guid actorId, int id, [ActivityMetadata] string name, CancellationToken cancellationToken) =>
                Task.FromResult(new Result<Contributor> { IsSuccess = true, Value = new(new(id), actorId, name) });

            [LogsActivity("delete_contributor")]
            public Task DeleteAsync(Guid actorId, DeleteContributor request, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """);

    [Fact]
    public void Interceptor_calls_from_a_second_assembly()
    {
        // The first assembly holds the use case and runs the generator, so the class implements ILoggedUseCase.
        var library = TestCompilation.Create("Library", TestCompilation.References, Usings + """
            namespace Library;

            public sealed record Note(Guid Id, Guid OwnerId, string Text);

            public sealed partial class AddNote(IActivityLogRepo log)
            {
                [LogsActivity("add_note", EntityType = "Note")]
                public ValueTask<Note> ExecuteAsync(Guid actorId, [ActivityMetadata] string text, CancellationToken cancellationToken = default) =>
                    ValueTask.FromResult(new Note(Guid.NewGuid(), actorId, text));
            }
            """);
        (Compilation libraryOutput, _) = TestCompilation.Run(library);
        Assert.Empty(TestCompilation.Problems(libraryOutput, library));
        using var image = new MemoryStream();
        Assert.True(libraryOutput.Emit(image).Success);
        MetadataReference libraryReference = MetadataReference.CreateFromImage(image.ToArray());

        // The second assembly only calls it: the generator there intercepts the calls.
        var app = TestCompilation.Create("App", [.. TestCompilation.References, libraryReference], Usings + """
            namespace App;

            public static class Program
            {
                public static async Task RunAsync(Library.AddNote addNote, Guid actor)
                {
                    await addNote.ExecuteAsync(actor, "first");
                    await addNote.ExecuteAsync(actor, "second", CancellationToken.None);
                }
            }
            """);
        (Compilation appOutput, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(app);

        Assert.Empty(TestCompilation.Problems(appOutput, app));
        Assert.Equal(["AuditGen.Interceptors.g.cs"], generated.Keys);
        Snapshot.Match(generated["AuditGen.Interceptors.g.cs"], $"{nameof(Interceptor_calls_from_a_second_assembly)}.Interceptors");
    }

    [Fact]
    public void A_use_case_in_the_global_namespace_with_a_direct_call_compiles_without_warnings()
    {
        var compilation = TestCompilation.Create(Usings + """
            public sealed record Note(Guid Id, Guid OwnerId, string Text);

            public interface ICreateNote { Task<Note> RunAsync(Guid actorId, string text); }

            public sealed partial class CreateNote(IActivityLogRepo log) : ICreateNote
            {
                [LogsActivity("create_note", EntityType = "Note")]
                public Task<Note> RunAsync(Guid actorId, [ActivityMetadata] string text) => Task.FromResult(new Note(Guid.NewGuid(), actorId, text));
            }

            public static class Caller
            {
                public static Task<Note> Run(CreateNote useCase) => useCase.RunAsync(Guid.NewGuid(), "hello");
            }
            """);

        (Compilation output, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(compilation);

        Assert.Empty(TestCompilation.Problems(output, compilation));
        Assert.Contains("CreateNote_RunAsync_0(this global::CreateNote useCase", generated["AuditGen.Interceptors.g.cs"]);
        Assert.Contains("internal sealed class CreateNoteLoggingDecorator : global::ICreateNote", generated["CreateNote.LoggedUseCase.g.cs"]);
    }
}
