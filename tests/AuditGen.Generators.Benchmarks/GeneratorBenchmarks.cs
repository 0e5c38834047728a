using Basic.Reference.Assemblies;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AuditGen.Generators.Benchmarks;

/// <summary>
/// The generator on a synthetic project of 1,000 logged use cases (one file each, with an interface and a direct
/// call): a cold run, and a run after editing one use case's method body on a warm driver.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8)]
public class GeneratorBenchmarks
{
    private const int UseCases = 1_000;

    private CSharpCompilation _compilation = null!;
    private CSharpCompilation _edited = null!;
    private GeneratorDriver _warm = null!;

    internal static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        .WithFeatures([new("InterceptorsNamespaces", KnownTypes.GeneratedNamespace)]);

    [GlobalSetup]
    public void Setup()
    {
        _compilation = SyntheticProject.Create(UseCases, ParseOptions);
        SyntaxTree first = _compilation.SyntaxTrees.First();
        _edited = _compilation.ReplaceSyntaxTree(first,
            first.WithChangedText(SourceText.From(first.GetText().ToString().Replace("await Task.Yield();", "await Task.Delay(0);"))));
        _warm = NewDriver().RunGenerators(_compilation);
        int generated = _warm.GetRunResult().GeneratedTrees.Length;
        if (generated != UseCases + 2)
        {
            GeneratorRunResult run = _warm.GetRunResult().Results.Single();
            throw new InvalidOperationException($"Expected {UseCases + 2} generated files, got {generated}: {run.Exception}");
        }
    }

    private static GeneratorDriver NewDriver(bool designTime = false) =>
        CSharpGeneratorDriver.Create([new LoggedUseCaseGenerator().AsSourceGenerator()], parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(designTime ? IncrementalGeneratorOutputKind.Implementation : IncrementalGeneratorOutputKind.None));

    /// <summary>A command-line build: every output, including the mutation summary (an implementation output).</summary>
    [Benchmark]
    public GeneratorDriver Cold() => NewDriver().RunGenerators(_compilation);

    /// <summary>What the IDE runs: implementation outputs (the mutation summary) disabled.</summary>
    [Benchmark]
    public GeneratorDriver ColdDesignTime() => NewDriver(designTime: true).RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver AfterOneEdit() => _warm.RunGenerators(_edited);
}

/// <summary>A project of n use cases: interface, partial class with a log, [LogsActivity] method, and a caller.</summary>
internal static class SyntheticProject
{
    public static CSharpCompilation Create(int count, CSharpParseOptions options, bool callers = true)
    {
        var trees = new List<SyntaxTree>(count);
        for (int i = 0; i < count; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText($$"""
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                using AuditGen;

                namespace Synthetic.Feature{{i}};

                public sealed record Item{{i}}(Guid Id, Guid OwnerId, string Name);

                public interface ICreateItem{{i}}
                {
                    Task<Item{{i}}> ExecuteAsync(Guid actorId, string name, CancellationToken cancellationToken);
                }

                public sealed partial class CreateItem{{i}}(IActivityLogRepo log) : ICreateItem{{i}}
                {
                    [LogsActivity("create_item_{{i}}", EntityType = "Item{{i}}")]
                    public async Task<Item{{i}}> ExecuteAsync(Guid actorId, [ActivityMetadata] string name, CancellationToken cancellationToken)
                    {
                        await Task.Yield();
                        return new Item{{i}}(Guid.NewGuid(), actorId, name);
                    }
                }

                public static class Caller{{i}}
                {
                    public static Task<Item{{i}}> Run(CreateItem{{i}} useCase) => {{(callers ? "useCase.ExecuteAsync(Guid.NewGuid(), \"n\", CancellationToken.None)" : "Task.FromResult(new Item" + i + "(default, default, \"\"))")}};
                }
                """, options, path: $"Feature{i}.cs"));
        }

        return CSharpCompilation.Create("Synthetic", trees,
            [
                .. Net100.References.All,
                MetadataReference.CreateFromFile(typeof(AuditGen.ActivityRecord).Assembly.Location),
                MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
            ],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
    }
}
