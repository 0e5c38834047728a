using AuditGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace AuditGen.Analyzers.Tests;

/// <summary>Every mapping diagnostic, with markup, and its negative case.</summary>
public class MappingAnalyzerTests
{
    private const string Prelude = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;

        public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);

        """;

    private sealed class Test : CSharpAnalyzerTest<UseCaseMappingAnalyzer, DefaultVerifier>
    {
        private readonly bool _interceptors;

        public Test(string source, bool interceptors = true)
        {
            _interceptors = interceptors;
            TestCode = Prelude + source;
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"); // no download: the references below are complete
            TestState.AdditionalReferences.AddRange(References.All);
        }

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions()).WithNullableContextOptions(NullableContextOptions.Enable);

        protected override ParseOptions CreateParseOptions() =>
            _interceptors
                ? new CSharpParseOptions(LanguageVersion.Latest).WithFeatures([new("InterceptorsNamespaces", KnownTypes.GeneratedNamespace)])
                : new CSharpParseOptions(LanguageVersion.Latest);
    }

    private static Task Verify(string source, bool interceptors = true) => new Test(source, interceptors).RunAsync();

    [Fact]
    public Task AUD0001_invalid_action_name() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0001:LogsActivity("Create Task")|}]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0001_negative_valid_action() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("tasks.create:v2-beta_1")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0002_no_actor_source_when_only_intercepted() => Verify("""
        public sealed partial class UseCase(IActivityLogRepo log)
        {
            [{|AUD0002:LogsActivity("create_task")|}]
            public Task<TaskItem> RunAsync(string title) => Task.FromResult(new TaskItem(Guid.NewGuid(), Guid.NewGuid(), title));
        }
        """);

    [Fact]
    public Task AUD0002_negative_actor_from_accessor_parameter_or_decorator() => Verify("""
        public sealed partial class WithAccessor(IActivityLogRepo log, IActorAccessor actors)
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(string title) => Task.FromResult(new TaskItem(Guid.NewGuid(), Guid.NewGuid(), title));
        }
        public sealed partial class WithParameter(IActivityLogRepo log)
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId, string title) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, title));
        }
        public interface IDecorated { Task<TaskItem> RunAsync(string title); }
        public sealed class Decorated : IDecorated
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(string title) => Task.FromResult(new TaskItem(Guid.NewGuid(), Guid.NewGuid(), title));
        }
        """);

    [Fact]
    public Task AUD0003_ambiguous_actor() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid a, Guid b); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync([Actor] Guid a, [{|AUD0003:Actor|}] Guid b) => Task.FromResult(new TaskItem(Guid.NewGuid(), a, ""));
        }
        """);

    [Fact]
    public Task AUD0003_negative_one_actor_and_an_unmarked_guid() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid a, Guid b); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync([Actor] Guid a, Guid b) => Task.FromResult(new TaskItem(Guid.NewGuid(), a, ""));
        }
        """);

    [Fact]
    public Task AUD0004_wrongly_typed_actor_and_entity_id() => Verify("""
        public sealed record Named(double Id, Guid OwnerId);
        public interface IUseCase { Task<Named> RunAsync(string actor); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0004:LogsActivity("create_named")|}]
            public Task<Named> RunAsync([{|AUD0004:Actor|}] string actor) => Task.FromResult(new Named(1, Guid.NewGuid()));
        }
        """);

    [Fact]
    public Task AUD0004_a_data_subject_that_is_not_a_guid() => Verify("""
        public interface IUseCase { Task RunAsync(Guid actorId, Guid id, string patient, string phone); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("note_on_patient", EntityType = "Note")]
            public Task RunAsync(Guid actorId, Guid id, [{|AUD0004:DataSubject|}] string patient, [ActivityMetadata, PersonalData] string phone) =>
                Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0004_negative_a_guid_data_subject_and_personal_metadata() => Verify("""
        public interface IUseCase { Task RunAsync(Guid actorId, Guid id, Guid patient, string phone); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("note_on_patient", EntityType = "Note")]
            public Task RunAsync(Guid actorId, Guid id, [DataSubject] Guid patient, [ActivityMetadata, PersonalData] string phone) =>
                Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0004_negative_guid_actor_and_string_entity_id() => Verify("""
        public sealed record Named(string Id, Guid OwnerId);
        public interface IUseCase { Task<Named> RunAsync(Guid actor); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_named")]
            public Task<Named> RunAsync([Actor] Guid actor) => Task.FromResult(new Named("n-1", Guid.NewGuid()));
        }
        """);

    [Fact]
    public Task AUD0005_negative_every_id_shape_and_source_of_real_codebases() => Verify("""
        public readonly record struct ContributorId(int Value);
        public sealed class OrderNumber { public long Value { get; init; } }
        public sealed record Contributor(ContributorId Id, Guid OwnerId);
        public sealed record DeleteContributor(ContributorId Id);
        public sealed record RenameProject(int Id, string Name);
        public sealed class Result<T> { public bool IsSuccess { get; init; } public T Value { get; init; } = default!; }
        public sealed class ErrorOr<T> { public bool IsError { get; init; } public T Value { get; init; } = default!; }
        public interface IUseCases
        {
            Task<int> CreateAsync(Guid actorId);
            Task<Contributor> AddAsync(Guid actorId);
            Task DeleteAsync(Guid actorId, DeleteContributor command);
            Task RenameAsync(Guid actorId, RenameProject request);
            Task ArchiveAsync(Guid actorId, long id);
            Task CloseAsync(Guid actorId, ulong orderId);
            Task<Result<ContributorId>> RegisterAsync(Guid actorId);
            Task<ErrorOr<Contributor>> ImportAsync(Guid actorId);
            Task<OrderNumber> NumberAsync(Guid actorId);
            Task TagAsync(Guid actorId, short tagId, byte level, sbyte delta, ushort u16, uint u32);
        }
        public sealed class UseCases : IUseCases
        {
            [LogsActivity("create_order", EntityType = "Order")] public Task<int> CreateAsync(Guid actorId) => Task.FromResult(1);
            [LogsActivity("add_contributor")] public Task<Contributor> AddAsync(Guid actorId) => Task.FromResult(new Contributor(new(1), actorId));
            [LogsActivity("delete_contributor")] public Task DeleteAsync(Guid actorId, DeleteContributor command) => Task.CompletedTask;
            [LogsActivity("rename_project", EntityType = "Project")] public Task RenameAsync(Guid actorId, RenameProject request) => Task.CompletedTask;
            [LogsActivity("archive", EntityType = "Project")] public Task ArchiveAsync(Guid actorId, long id) => Task.CompletedTask;
            [LogsActivity("close_order", EntityType = "Order")] public Task CloseAsync(Guid actorId, ulong orderId) => Task.CompletedTask;
            [LogsActivity("register")] public Task<Result<ContributorId>> RegisterAsync(Guid actorId) => Task.FromResult(new Result<ContributorId>());
            [LogsActivity("import")] public Task<ErrorOr<Contributor>> ImportAsync(Guid actorId) => Task.FromResult(new ErrorOr<Contributor>());
            [LogsActivity("number", EntityType = "Order")] public Task<OrderNumber> NumberAsync(Guid actorId) => Task.FromResult(new OrderNumber());
            [LogsActivity("tag", EntityType = "Tag")] public Task TagAsync(Guid actorId, short tagId, byte level, sbyte delta, ushort u16, uint u32) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0003_two_requests_with_an_Id_are_ambiguous() => Verify("""
        public sealed record Source(int Id);
        public sealed record Target(int Id);
        public interface IUseCase { Task MoveAsync(Guid actorId, Source from, Target to); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0003:LogsActivity("move", EntityType = "Item")|}]
            public Task MoveAsync(Guid actorId, Source from, Target to) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0006_an_integer_id_needs_an_entity_type() => Verify("""
        public interface IUseCase { Task<int> CreateAsync(Guid actorId); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0006:LogsActivity("create_order")|}]
            public Task<int> CreateAsync(Guid actorId) => Task.FromResult(1);
        }
        """);

    [Fact]
    public Task AUD0013_entity_types_that_every_record_would_refuse() => Verify("""
        public interface IUseCase { Task A(Guid actorId, Guid id); Task B(Guid actorId, Guid id); Task C(Guid actorId, Guid id); Task D(Guid actorId, Guid id); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0013:LogsActivity("a", EntityType = "")|}] public Task A(Guid actorId, Guid id) => Task.CompletedTask;
            [{|AUD0013:LogsActivity("b", EntityType = "Task\n")|}] public Task B(Guid actorId, Guid id) => Task.CompletedTask;
            [{|AUD0013:LogsActivity("c", EntityType = "EEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEEE")|}] public Task C(Guid actorId, Guid id) => Task.CompletedTask;
            [LogsActivity("d", EntityType = "Quote\"and\\backslash")] public Task D(Guid actorId, Guid id) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0005_no_entity_id() => Verify("""
        public interface IUseCase { Task RunAsync(Guid actorId); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0005:LogsActivity("ping")|}]
            public Task RunAsync(Guid actorId) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0005_negative_entity_id_from_the_result_or_a_string_parameter() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId); Task PingAsync(Guid actorId, string key); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));

            [LogsActivity("ping", EntityType = "Key")]
            public Task PingAsync(Guid actorId, [EntityId] string key) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0006_no_entity_type_for_a_parameter_id() => Verify("""
        public interface IUseCase { Task RunAsync(Guid actorId, Guid taskId); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0006:LogsActivity("delete_task")|}]
            public Task RunAsync(Guid actorId, [EntityId] Guid taskId) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0006_negative_entity_type_given() => Verify("""
        public interface IUseCase { Task RunAsync(Guid actorId, Guid taskId); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("delete_task", EntityType = "Task")]
            public Task RunAsync(Guid actorId, [EntityId] Guid taskId) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task AUD0007_synchronous_use_case() => Verify("""
        public interface IUseCase { TaskItem Run(Guid actorId); }
        public sealed class UseCase : IUseCase
        {
            [{|AUD0007:LogsActivity("create_task")|}]
            public TaskItem Run(Guid actorId) => new(Guid.NewGuid(), actorId, "");
        }
        """);

    [Fact]
    public Task AUD0007_negative_every_task_shape() => Verify("""
        public interface IUseCase
        {
            Task A(Guid actorId, Guid id);
            Task<TaskItem> B(Guid actorId);
            ValueTask C(Guid actorId, Guid id);
            ValueTask<TaskItem> D(Guid actorId);
        }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("a", EntityType = "Task")] public Task A(Guid actorId, [EntityId] Guid id) => Task.CompletedTask;
            [LogsActivity("b")] public Task<TaskItem> B(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
            [LogsActivity("c", EntityType = "Task")] public ValueTask C(Guid actorId, [EntityId] Guid id) => default;
            [LogsActivity("d")] public ValueTask<TaskItem> D(Guid actorId) => new(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0008_negative_interface_member_or_partial_class_with_a_log_field_or_property() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId); }
        public sealed class ViaInterface : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        public sealed partial class WithField
        {
            private readonly IActivityLogRepo _log;
            public WithField(IActivityLogRepo log) => _log = log;

            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        public sealed partial class WithProperty
        {
            public required IActivityLogRepo Log { get; init; }

            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0008_neither_interface_member_nor_partial_with_a_log() => Verify("""
        public sealed class NotPartial(IActivityLogRepo log)
        {
            [{|AUD0008:LogsActivity("create_task")|}]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        public sealed partial class NoLog
        {
            [{|AUD0008:LogsActivity("create_task")|}]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0009_direct_calls_that_cannot_be_intercepted() => Verify("""
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId); }
        public sealed class NotPartial : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        public sealed partial class Partial(IActivityLogRepo log)
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        public static class Caller
        {
            public static async Task Run(NotPartial a, Partial b, IUseCase c, Guid actor)
            {
                await {|AUD0009:a.RunAsync(actor)|};                  // non-partial class: not intercepted
                Func<Guid, Task<TaskItem>> f = {|AUD0009:b.RunAsync|}; // method group
                await b.RunAsync(actor);                                // intercepted
                await c.RunAsync(actor);                                // through the interface: decorated
            }
        }
        """);

    [Fact]
    public Task AUD0009_interceptors_not_enabled() => Verify("""
        public sealed partial class Partial(IActivityLogRepo log)
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        public static class Caller
        {
            public static Task Run(Partial b, Guid actor) => {|AUD0009:b.RunAsync(actor)|};
        }
        """, interceptors: false);

    [Fact]
    public Task AUD0010_logged_and_appending_by_hand() => Verify("""
        public sealed partial class UseCase(IActivityLogRepo log)
        {
            [LogsActivity("create_task")]
            public async Task<TaskItem> RunAsync(Guid actorId)
            {
                var task = new TaskItem(Guid.NewGuid(), actorId, "");
                await {|AUD0010:log.AppendAsync(ActivityRecord.Create(actorId, actorId, "create_task", new EntityRef("Task", task.Id)))|};
                return task;
            }

            public async Task NotLoggedAsync(Guid actorId) =>
                await log.AppendAsync(ActivityRecord.Create(actorId, actorId, "ping", new EntityRef("Task", "1")));
        }
        """);

    [Fact]
    public Task AUD0011_class_attribute_without_a_single_use_case_method() => Verify("""
        [{|AUD0011:LogsActivity("create_task")|}]
        public sealed partial class UseCase(IActivityLogRepo log)
        {
            public Task<TaskItem> FirstAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
            public Task<TaskItem> SecondAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0011_negative_one_public_task_method() => Verify("""
        [LogsActivity("create_task")]
        public sealed partial class UseCase(IActivityLogRepo log)
        {
            public Task<TaskItem> RunAsync(Guid actorId) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
            private Task HelperAsync() => Task.CompletedTask;
            public int Count => 0;
        }
        """);

    [Fact]
    public Task AUD0012_metadata_of_an_unsupported_type_or_a_duplicate_key() => Verify("""
        public sealed record Input(string Title, [property: ActivityMetadata("title")] string Other);
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId, Input input, object extra); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId, [{|AUD0012:ActivityMetadata("title")|}] Input input, [{|AUD0012:ActivityMetadata|}] object extra) =>
                Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0012_metadata_key_used_twice() => Verify("""
        public sealed record Item(Guid Id, Guid OwnerId, [property: {|AUD0012:ActivityMetadata|}] string Name);
        public interface IUseCase { Task<Item> RunAsync(Guid actorId, string name); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_item")]
            public Task<Item> RunAsync(Guid actorId, [ActivityMetadata] string name) => Task.FromResult(new Item(Guid.NewGuid(), actorId, name));
        }
        """);

    [Fact]
    public Task AUD0012_negative_json_safe_metadata() => Verify("""
        public enum Priority { Low, High }
        public sealed record Input([property: ActivityMetadata] string Title, [property: ActivityMetadata] Priority Priority,
            [property: ActivityMetadata] int[] Tags, [property: ActivityMetadata] DateTimeOffset? Due);
        public interface IUseCase { Task<TaskItem> RunAsync(Guid actorId, Input input); }
        public sealed class UseCase : IUseCase
        {
            [LogsActivity("create_task")]
            public Task<TaskItem> RunAsync(Guid actorId, Input input) => Task.FromResult(new TaskItem(Guid.NewGuid(), actorId, ""));
        }
        """);

    [Fact]
    public Task AUD0008_a_MassTransit_consumer_or_NServiceBus_handler_is_resolved_by_its_class() => Verify(FrameworkStubs.Messaging + """
        public sealed record TaskArchived(Guid TaskId, Guid By);

        public sealed class ArchiveConsumer : MassTransit.IConsumer<TaskArchived>
        {
            [{|AUD0008:LogsActivity("archive_task", EntityType = "Task")|}]
            public Task Consume(MassTransit.ConsumeContext<TaskArchived> context) => Task.CompletedTask;
        }

        public sealed class ArchiveHandler : NServiceBus.IHandleMessages<TaskArchived>
        {
            [{|AUD0008:LogsActivity("archive_task", EntityType = "Task")|}]
            public Task Handle(TaskArchived message, NServiceBus.IMessageHandlerContext context) => Task.CompletedTask;
        }
        """);

    [Fact]
    public Task A_MediatR_notification_handler_resolved_through_its_interface_is_logged_without_a_diagnostic() => Verify(FrameworkStubs.Messaging + """
        public sealed record TaskArchived([property: EntityId] Guid TaskId, [property: Actor] Guid By) : MediatR.INotification;

        public sealed class ArchiveHandler : MediatR.INotificationHandler<TaskArchived>
        {
            [LogsActivity("archive_task", EntityType = "Task")]
            public Task Handle(TaskArchived notification, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """);
}
