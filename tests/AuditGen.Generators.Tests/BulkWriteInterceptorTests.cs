using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AuditGen.Generators.Tests;

/// <summary>
/// <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> call sites, intercepted in a project that references the EF Core store: the
/// generated code (snapshotted, compiled without warnings), the properties read from the setters, and caching.
/// </summary>
public class BulkWriteInterceptorTests
{
    /// <summary>EF Core 10's bulk-write signatures and the store's entry point, as a referenced assembly.</summary>
    private const string EfCoreAndStore = """
        using System;
        using System.Linq;
        using System.Linq.Expressions;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore.Query;

        namespace Microsoft.EntityFrameworkCore.Query
        {
            public sealed class UpdateSettersBuilder<TSource>
            {
                public UpdateSettersBuilder<TSource> SetProperty<TProperty>(Expression<Func<TSource, TProperty>> propertyExpression, Expression<Func<TSource, TProperty>> valueExpression) => this;
                public UpdateSettersBuilder<TSource> SetProperty<TProperty>(Expression<Func<TSource, TProperty>> propertyExpression, TProperty valueExpression) => this;
            }
        }

        namespace Microsoft.EntityFrameworkCore
        {
            public static class EF
            {
                public static TProperty Property<TProperty>(object entity, string propertyName) => throw new InvalidOperationException();
            }

            public static class EntityFrameworkQueryableExtensions
            {
                public static int ExecuteUpdate<TSource>(this IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls) => 0;
                public static Task<int> ExecuteUpdateAsync<TSource>(this IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls, CancellationToken cancellationToken = default) => Task.FromResult(0);
                public static int ExecuteDelete<TSource>(this IQueryable<TSource> source) => 0;
                public static Task<int> ExecuteDeleteAsync<TSource>(this IQueryable<TSource> source, CancellationToken cancellationToken = default) => Task.FromResult(0);
            }
        }

        namespace AuditGen.EntityFrameworkCore
        {
            public static class ActivityBulkWrites
            {
                public static int ExecuteUpdate<TSource>(IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls, string[]? properties) => 0;
                public static Task<int> ExecuteUpdateAsync<TSource>(IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls, string[]? properties, CancellationToken cancellationToken) => Task.FromResult(0);
                public static int ExecuteDelete<TSource>(IQueryable<TSource> source) => 0;
                public static Task<int> ExecuteDeleteAsync<TSource>(IQueryable<TSource> source, CancellationToken cancellationToken) => Task.FromResult(0);
            }
        }
        """;

    private const string Application = """
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.EntityFrameworkCore;
        using Microsoft.EntityFrameworkCore.Query;

        public sealed class Address { public string City { get; set; } = ""; }

        public sealed class TaskItem
        {
            public int Id { get; set; }
            public string Title { get; set; } = "";
            public bool Done { get; set; }
            public int Version { get; set; }
            public Address Address { get; set; } = new();
        }

        public sealed class Tasks(IQueryable<TaskItem> tasks)
        {
            public Task<int> CompleteAsync(int board, CancellationToken ct) =>
                tasks.Where(t => t.Id > board).ExecuteUpdateAsync(s => s.SetProperty(t => t.Done, true).SetProperty(t => t.Version, t => t.Version + 1), ct);

            public Task<int> ReopenAsync() =>
                tasks.ExecuteUpdateAsync(s => s.SetProperty(t => t.Version, t => t.Version + 1).SetProperty(t => t.Done, false));

            public int Rename(string title) => tasks.ExecuteUpdate(s =>
            {
                s.SetProperty(t => t.Title, title);
                if (title.Length > 10)
                {
                    s.SetProperty(t => (t.Address!).City, "Long");
                    s.SetProperty(t => EF.Property<int>(t, "Version"), 0);
                }
            });

            public Task<int> ChangeAsync(Action<UpdateSettersBuilder<TaskItem>> setters) => tasks.ExecuteUpdateAsync(setters);

            public int Helper() => tasks.ExecuteUpdate(s => Apply(s));

            public Task<int> PurgeAsync(CancellationToken ct) => tasks.Where(t => t.Done).ExecuteDeleteAsync(ct);

            public int Purge() => EntityFrameworkQueryableExtensions.ExecuteDelete(tasks);

            private static void Apply(UpdateSettersBuilder<TaskItem> s) => s.SetProperty(t => t.Title, "x");
        }
        """;

    private static readonly MetadataReference EfCoreReference = TestCompilation.Create("FakeEfCore", TestCompilation.References, EfCoreAndStore)
        .ToMetadataReference();

    private static CSharpCompilation Create(params string[] sources) =>
        TestCompilation.Create("TestProject", [.. TestCompilation.References, EfCoreReference], sources);

    [Fact]
    public void Bulk_writes_are_intercepted_with_the_properties_their_setters_set()
    {
        CSharpCompilation compilation = Create(Application);
        (Compilation output, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(compilation);

        Assert.Empty(TestCompilation.Problems(output, compilation));
        Snapshot.Match(generated["AuditGen.BulkWrites.g.cs"], "Bulk_writes.AuditGen.BulkWrites");
    }

    [Fact]
    public void The_generated_interceptors_compile_without_warnings_at_the_highest_warning_level()
    {
        CSharpCompilation compilation = Create(Application).WithOptions(Create().Options.WithWarningLevel(9999));
        (Compilation output, _) = TestCompilation.Run(compilation);

        Assert.Empty(TestCompilation.Problems(output, compilation));
    }

    [Fact]
    public void Without_the_EF_Core_store_nothing_is_intercepted()
    {
        const string WithoutStore = """
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using Microsoft.EntityFrameworkCore.Query;
            namespace Microsoft.EntityFrameworkCore.Query { public sealed class UpdateSettersBuilder<TSource> { } }
            namespace Microsoft.EntityFrameworkCore
            {
                public static class EntityFrameworkQueryableExtensions
                {
                    public static int ExecuteUpdate<TSource>(this IQueryable<TSource> source, Action<UpdateSettersBuilder<TSource>> setPropertyCalls) => 0;
                }
            }
            public static class Use
            {
                public static int Run(IQueryable<string> q) => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdate(q, s => { });
            }
            """;
        (_, IReadOnlyDictionary<string, string> generated) = TestCompilation.Run(TestCompilation.Create(WithoutStore));

        Assert.DoesNotContain("AuditGen.BulkWrites.g.cs", generated.Keys);
    }

    [Fact]
    public void An_unrelated_edit_leaves_the_bulk_write_steps_cached()
    {
        CSharpCompilation compilation = Create(Application, "public static class Unrelated { public static int Add(int a, int b) => a + b; }");
        GeneratorDriver driver = TestCompilation.Driver().RunGenerators(compilation);
        SyntaxTree tree = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(tree.GetText().ToString().Replace("a + b", "b + a"))));

        GeneratorRunResult result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in new[] { LoggedUseCaseGenerator.Steps.BulkWrites, LoggedUseCaseGenerator.Steps.CollectedBulkWrites })
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} did not run");
            Assert.All(result.TrackedSteps[step].SelectMany(r => r.Outputs),
                o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {step} output was {o.Reason}"));
        }
    }
}
