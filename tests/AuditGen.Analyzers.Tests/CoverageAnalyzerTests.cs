namespace AuditGen.Analyzers.Tests;

/// <summary>AUD1001-AUD1004 with markup, each with its negatives.</summary>
public class CoverageAnalyzerTests
{
    private const string Prelude = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;

        public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);

        public interface ITaskRepository
        {
            Task AddAsync(TaskItem task);
            Task DeleteAsync(Guid id);
            Task<TaskItem?> GetAsync(Guid id);
        }

        """;

    private static Task Verify(string source, string? editorConfig = null) =>
        new AnalyzerTest<CoverageAnalyzer>(Prelude + source, editorConfig).RunAsync();

    [Fact]
    public Task AUD1001_unlogged_repository_mutation_names_the_call_and_line() =>
        new AnalyzerTest<CoverageAnalyzer>(Prelude + """
            public sealed class DeleteTaskUseCase(ITaskRepository repo)
            {
                public async Task {|#0:ExecuteAsync|}(Guid id) => await repo.DeleteAsync(id);
            }
            """)
        {
            ExpectedDiagnostics =
            {
                Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerWarning("AUD1001").WithLocation(0)
                    .WithArguments("ExecuteAsync", "calls ITaskRepository.DeleteAsync at line 18"),
            },
        }.RunAsync();

    [Fact]
    public Task AUD1001_names_the_receiver_type_the_code_calls_not_the_base_that_declares_the_method() =>
        new AnalyzerTest<CoverageAnalyzer>(Prelude + """
            public interface IRepositoryBase<T> { Task<T> AddAsync(T entity); }
            public interface IRepository<T> : IRepositoryBase<T> { }
            public sealed class CreateTaskHandler(IRepository<TaskItem> repository)
            {
                public Task {|#0:Handle|}(TaskItem task) => repository.AddAsync(task);
            }
            """)
        {
            ExpectedDiagnostics =
            {
                Microsoft.CodeAnalysis.Testing.DiagnosticResult.CompilerWarning("AUD1001").WithLocation(0)
                    .WithArguments("Handle", "calls IRepository.AddAsync at line 20"),
            },
        }.RunAsync();

    [Fact]
    public Task AUD1001_negatives_read_only_logged_excused_and_appending() => Verify("""
        public sealed class GetTaskUseCase(ITaskRepository repo)
        {
            public Task<TaskItem?> ExecuteAsync(Guid id) => repo.GetAsync(id);            // read-only
        }
        public sealed class CreateTaskUseCase(ITaskRepository repo)
        {
            [LogsActivity("create_task")]
            public async Task<TaskItem> ExecuteAsync(Guid actorId)
            {
                var task = new TaskItem(Guid.NewGuid(), actorId, "");
                await repo.AddAsync(task);
                return task;
            }
        }
        public sealed class PurgeTaskUseCase(ITaskRepository repo)
        {
            [NotLogged("retention job; the purge itself is audited by the job runner")]
            public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
        }
        [NotLogged("data migration")]
        public sealed class MigrateTasksUseCase(ITaskRepository repo)
        {
            public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
        }
        public sealed class ManualUseCase(ITaskRepository repo, IActivityLogRepo log)
        {
            public async Task ExecuteAsync(Guid actorId, Guid id)
            {
                await repo.DeleteAsync(id);
                await log.AppendAsync(ActivityRecord.Create(actorId, actorId, "delete_task", new EntityRef("Task", id)));
            }
        }
        """);

    [Fact]
    public Task AUD1001_negative_mutation_on_a_type_that_is_not_a_repository_and_a_class_that_is_not_a_use_case() => Verify("""
        public sealed class Cart { public void AddItem(string sku) { } }
        public sealed class CheckoutUseCase(Cart cart)
        {
            public Task ExecuteAsync(string sku) { cart.AddItem(sku); return Task.CompletedTask; }
        }
        public sealed class TaskService(ITaskRepository repo)                 // not a use-case type
        {
            public Task DeleteAsync(Guid id) => repo.DeleteAsync(id);
        }
        """);

    [Fact]
    public Task AUD1001_through_a_private_helper_two_calls_deep() => Verify("""
        public sealed class ArchiveTaskUseCase(ITaskRepository repo)
        {
            public Task {|AUD1001:ExecuteAsync|}(Guid id) => StepOne(id);
            private Task StepOne(Guid id) => StepTwo(id);
            private Task StepTwo(Guid id) => repo.DeleteAsync(id);
        }
        """);

    [Fact]
    public Task AUD1001_recursion_does_not_hang() => Verify("""
        public sealed class RecurseUseCase(ITaskRepository repo)
        {
            public Task {|AUD1001:ExecuteAsync|}(Guid id, int depth) => Ping(id, depth);
            private Task Ping(Guid id, int depth) => depth == 0 ? repo.DeleteAsync(id) : Pong(id, depth - 1);
            private Task Pong(Guid id, int depth) => Ping(id, depth);
            public Task LoopAsync(int n) => LoopAsync(n);
        }
        """);

    [Fact]
    public Task AUD1001_in_a_lambda_and_a_local_function() => Verify("""
        public sealed class BulkDeleteUseCase(ITaskRepository repo)
        {
            public Task {|AUD1001:ExecuteAsync|}(IEnumerable<Guid> ids) => Task.WhenAll(ids.Select(id => repo.DeleteAsync(id)));
            public Task {|AUD1001:OtherAsync|}(Guid id)
            {
                return Local();
                Task Local() => repo.DeleteAsync(id);
            }
        }
        """);

    [Fact]
    public Task AUD1001_generic_repository_and_mutation_attribute() => Verify("""
        public interface IRepository<T> { Task AddAsync(T item); Task<T?> FindAsync(Guid id); }
        [Mutation] public interface IMailbox { Task SendAsync(string to); Task PeekAsync(); }
        public interface IInventory { [Mutation] Task Reserve(string sku); Task Count(string sku); }
        public sealed class Inventory : IInventory { public Task Reserve(string sku) => Task.CompletedTask; public Task Count(string sku) => Task.CompletedTask; }
        public sealed class ImportHandler(IRepository<TaskItem> repo, IMailbox mail, Inventory inventory)
        {
            public Task {|AUD1001:ImportAsync|}(TaskItem item) => repo.AddAsync(item);
            public Task<TaskItem?> FindAsync(Guid id) => repo.FindAsync(id);
            public Task {|AUD1001:NotifyAsync|}() => mail.SendAsync("a@b");
            public Task {|AUD1001:ReserveAsync|}() => inventory.Reserve("sku");      // [Mutation] on the interface member it implements
            public Task CountAsync() => inventory.Count("sku");
        }
        """);

    [Fact]
    public Task AUD1001_use_case_by_interface_and_ef_core() => Verify("""
        public interface IRequestHandler<TRequest, TResponse> { Task<TResponse> Handle(TRequest request, CancellationToken ct); }
        public sealed class Db : Microsoft.EntityFrameworkCore.DbContext { public Microsoft.EntityFrameworkCore.DbSet<TaskItem> Tasks { get; } = null!; }
        public sealed record Rename(Guid Id, string Title);
        public sealed class Renamer(Db db) : IRequestHandler<Rename, int>
        {
            public Task<int> {|AUD1001:Handle|}(Rename request, CancellationToken ct) => db.SaveChangesAsync(ct);
        }
        public sealed class AddTaskUseCase(Db db)
        {
            public void {|AUD1001:Execute|}(TaskItem task) => db.Tasks.Add(task);
            public TaskItem? Find(Guid id) => db.Tasks.Find(id);
        }
        """ + References.EfStubs);

    [Fact]
    public Task AUD1001_configuration_changes_the_conventions() => Verify("""
        public interface ITaskGateway { Task ArchiveAsync(Guid id); Task DeleteAsync(Guid id); }
        public sealed class ArchiveTaskWorkflow(ITaskGateway gateway)
        {
            public Task {|AUD1001:RunAsync|}(Guid id) => gateway.ArchiveAsync(id);
        }
        public sealed class DeleteTaskUseCase(ITaskRepository repo)             // no longer a use-case suffix
        {
            public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
        }
        """, """
        auditgen.use_case_suffixes = Workflow
        auditgen.mutation_prefixes = Archive
        auditgen.repository_suffixes = Gateway
        """);

    /// <summary>The MSBuild properties the package's props make compiler-visible arrive as build_property.* in the global config.</summary>
    [Fact]
    public Task AUD1001_conventions_from_msbuild_properties_and_editorconfig_wins_per_file()
    {
        var test = new AnalyzerTest<CoverageAnalyzer>(Prelude + """
            public interface ITaskGateway { Task ArchiveAsync(Guid id); Task DeleteAsync(Guid id); }
            public sealed class ArchiveTaskWorkflow(ITaskGateway gateway)
            {
                public Task {|AUD1001:RunAsync|}(Guid id) => gateway.ArchiveAsync(id);
            }
            public sealed class DeleteTaskUseCase(ITaskRepository repo)             // Repository is no longer a repository suffix
            {
                public Task ExecuteAsync(Guid id) => repo.DeleteAsync(id);
            }
            """, """
            auditgen.mutation_prefixes = Archive
            """);
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", """
            is_global = true
            build_property.AuditGenUseCaseSuffixes = Workflow,UseCase
            build_property.AuditGenMutationPrefixes = Delete
            build_property.AuditGenRepositorySuffixes = Gateway
            build_property.AuditGenUseCaseInterfaces =
            """));
        return test.RunAsync();
    }

    [Fact]
    public Task AUD1002_logged_method_that_changes_nothing() => Verify("""
        public sealed class ShowTaskUseCase(ITaskRepository repo)
        {
            [LogsActivity("show_task")]
            public async Task<TaskItem> {|AUD1002:ExecuteAsync|}(Guid actorId, Guid id) => (await repo.GetAsync(id))!;
        }
        """);

    [Fact]
    public Task AUD1003_bulk_mutation_inside_a_logged_use_case() => Verify("""
        public sealed record Purged(Guid Id, Guid OwnerId, int Count);
        public sealed class Db : Microsoft.EntityFrameworkCore.DbContext { public Microsoft.EntityFrameworkCore.DbSet<TaskItem> Tasks { get; } = null!; }
        public sealed class PurgeTasksUseCase(Db db)
        {
            [LogsActivity("purge_tasks", EntityType = "Board")]
            public async Task<Purged> ExecuteAsync(Guid actorId, Guid board)
            {
                int count = await {|AUD1003:Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteDeleteAsync(db.Tasks.Where(t => t.OwnerId == board))|};
                count += await {|AUD1003:Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.ExecuteSqlRawAsync(db.Database, "DELETE FROM x")|};
                return new Purged(board, actorId, count);
            }
        }
        public sealed class ReindexUseCase(System.Data.Common.DbCommand command)
        {
            public Task {|AUD1001:ExecuteAsync|}() => command.ExecuteNonQueryAsync();
        }
        """ + References.EfStubs);

    [Fact]
    public Task AUD1004_one_action_two_entity_types() => Verify("""
        public sealed class CreateTaskUseCase(ITaskRepository repo)
        {
            [LogsActivity("create", EntityType = "Task")]
            public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.AddAsync(new TaskItem(id, actorId, ""));
        }
        public sealed class CreateProjectUseCase(ITaskRepository repo)
        {
            [{|AUD1004:LogsActivity("create", EntityType = "Project")|}]
            public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.AddAsync(new TaskItem(id, actorId, ""));
        }
        public sealed class CreateOtherTaskUseCase(ITaskRepository repo)
        {
            [LogsActivity("create", EntityType = "Task")]
            public Task ExecuteAsync(Guid actorId, [EntityId] Guid id) => repo.AddAsync(new TaskItem(id, actorId, ""));
        }
        """);
}
