using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AuditGen.Generators.Tests;

/// <summary>
/// The pipeline caches: edits that do not change a model leave every named step Cached or Unchanged, and no step
/// ever holds a symbol, syntax node, semantic model or compilation.
/// </summary>
public class IncrementalTests
{
    private const string UseCase = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using AuditGen;

        namespace TaskBoard;

        public sealed record TaskItem(Guid Id, Guid OwnerId, string Title);

        public interface ICreateTask
        {
            Task<TaskItem> ExecuteAsync(Guid actorId, string title, CancellationToken cancellationToken);
        }

        public sealed partial class CreateTask(IActivityLogRepo log) : ICreateTask
        {
            [LogsActivity("create_task", EntityType = "Task")]
            public async Task<TaskItem> ExecuteAsync(Guid actorId, [ActivityMetadata] string title, CancellationToken cancellationToken)
            {
                await Task.Yield();
                return new TaskItem(Guid.NewGuid(), actorId, title);
            }
        }
        """;

    private const string Caller = """
        namespace TaskBoard;

        public static class Caller
        {
            public static System.Threading.Tasks.Task Run(CreateTask useCase) => useCase.ExecuteAsync(System.Guid.NewGuid(), "t", default);
        }
        """;

    private const string Unrelated = """
        namespace TaskBoard;

        public static class Unrelated
        {
            public static int Add(int a, int b) => a + b;
        }
        """;

    private static readonly string[] AllSteps =
    [
        LoggedUseCaseGenerator.Steps.UseCases, LoggedUseCaseGenerator.Steps.CollectedUseCases, LoggedUseCaseGenerator.Steps.Calls,
        LoggedUseCaseGenerator.Steps.CollectedCalls, LoggedUseCaseGenerator.Steps.Options, LoggedUseCaseGenerator.Steps.InterceptorsEnabled,
        LoggedUseCaseGenerator.EntryPointSteps.CollectedMappedEndpoints, LoggedUseCaseGenerator.EntryPointSteps.CollectedLoggedActions,
    ];

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        CSharpCompilation compilation = TestCompilation.Create(UseCase, Caller, Unrelated);
        GeneratorDriver driver = TestCompilation.Driver().RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        Assert.Equal(3, result.GeneratedSources.Length);
        return (driver, compilation);
    }

    private static GeneratorRunResult Rerun(GeneratorDriver driver, CSharpCompilation compilation, int file, Func<string, string> edit)
    {
        SyntaxTree tree = compilation.SyntaxTrees.ElementAt(file);
        string text = edit(tree.GetText().ToString());
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(text)));
        return driver.RunGenerators(edited).GetRunResult().Results.Single();
    }

    private static void AssertAllCachedOrUnchanged(GeneratorRunResult result)
    {
        foreach (string step in AllSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"step {step} did not run");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object _, IncrementalStepRunReason reason) in run.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                        $"step {step} output was {reason}");
                }
            }
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"output was {o.Reason}"));
    }

    [Fact]
    public void An_unrelated_edit_leaves_every_step_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();

        AssertAllCachedOrUnchanged(Rerun(driver, compilation, 2, t => t.Replace("a + b", "b + a")));
    }

    [Fact]
    public void A_method_body_edit_in_a_logged_use_case_leaves_every_step_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();

        AssertAllCachedOrUnchanged(Rerun(driver, compilation, 0, t => t.Replace("await Task.Yield();", "await Task.Delay(1);")));
    }

    [Fact]
    public void Adding_a_blank_line_leaves_every_step_cached()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();

        AssertAllCachedOrUnchanged(Rerun(driver, compilation, 0, t => t.Replace("namespace TaskBoard;", "namespace TaskBoard;\n")));
    }

    [Fact]
    public void Changing_the_action_name_modifies_the_model()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = FirstRun();

        GeneratorRunResult result = Rerun(driver, compilation, 0, t => t.Replace("\"create_task\"", "\"add_task\""));

        Assert.Contains(result.TrackedSteps[LoggedUseCaseGenerator.Steps.UseCases].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(result.TrackedSteps[LoggedUseCaseGenerator.Steps.CollectedCalls].SelectMany(s => s.Outputs), o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("add_task", result.GeneratedSources.Single(s => s.HintName.Contains("Registration")).SourceText.ToString());
    }

    [Fact]
    public void No_step_holds_a_symbol_syntax_node_semantic_model_or_compilation()
    {
        (GeneratorDriver driver, _) = FirstRun();
        GeneratorRunResult result = driver.GetRunResult().Results.Single();
        int walked = 0;

        foreach ((string step, var runs) in result.TrackedSteps.Where(s => AllSteps.Contains(s.Key))) // ours, not Roslyn's own
        {
            foreach (IncrementalGeneratorRunStep run in runs)
            {
                foreach ((object value, _) in run.Outputs)
                {
                    Walk(value, $"{step}", new HashSet<object>(ReferenceEqualityComparer.Instance), ref walked);
                }
            }
        }

        Assert.True(walked > 20, $"walked only {walked} values");
    }

    private static void Walk(object? value, string path, HashSet<object> seen, ref int walked)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return;
        }

        Assert.False(value is ISymbol or SyntaxNode or SemanticModel or Compilation or SyntaxTree,
            $"{path} holds a {value.GetType().Name}");
        if (!value.GetType().IsValueType && !seen.Add(value))
        {
            return;
        }

        walked++;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                Walk(item, $"{path}[{i++}]", seen, ref walked);
            }

            return;
        }

        foreach (FieldInfo field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", seen, ref walked);
        }
    }
}
