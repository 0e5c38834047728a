using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AuditGen.Generators.Tests;

/// <summary>In-memory compilations against .NET 10 reference assemblies, AuditGen and DI abstractions.</summary>
internal static class TestCompilation
{
    public static readonly CSharpParseOptions ParseOptions = new CSharpParseOptions(LanguageVersion.Latest)
        .WithFeatures([new("InterceptorsNamespaces", KnownTypes.GeneratedNamespace)]);

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(ActivityRecord).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.DependencyInjection.IServiceCollection).Assembly.Location),
    ];

    public static CSharpCompilation Create(params string[] sources) => Create("TestProject", References, sources);

    public static CSharpCompilation Create(string assemblyName, IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"File{i}.cs")),
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(
        [new LoggedUseCaseGenerator().AsSourceGenerator()],
        parseOptions: ParseOptions,
        driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator; returns the output compilation and the generated files by hint name.</summary>
    public static (Compilation Output, IReadOnlyDictionary<string, string> Generated) Run(Compilation compilation)
    {
        Driver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        var generated = output.SyntaxTrees.Skip(compilation.SyntaxTrees.Count())
            .ToDictionary(t => Path.GetFileName(t.FilePath), t => t.GetText().ToString());
        return (output, generated);
    }

    /// <summary>Every warning or error of the output compilation that lies in generated code, plus every error anywhere.</summary>
    public static IReadOnlyList<Diagnostic> Problems(Compilation output, Compilation input)
    {
        var generatedTrees = output.SyntaxTrees.Skip(input.SyntaxTrees.Count()).ToHashSet();
        return output.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error ||
                        (d.Severity == DiagnosticSeverity.Warning && d.Location.SourceTree is { } tree && generatedTrees.Contains(tree)))
            .ToList();
    }
}

/// <summary>
/// Snapshot files of generated code: <c>Snapshots/&lt;Test&gt;.verified.cs</c> beside the tests. A mismatch or a missing
/// snapshot writes <c>.received.cs</c> and fails, everywhere; <c>UPDATE_SNAPSHOTS=1</c> accepts. What changes without the
/// code changing is scrubbed first (as NetEscapades.EnumGenerators does): the generator's version in <c>[GeneratedCode]</c>
/// and the <c>[InterceptsLocation]</c> data (a hash of the file's content and an offset).
/// </summary>
internal static partial class Snapshot
{
    [System.Text.RegularExpressions.GeneratedRegex("""GeneratedCode\("AuditGen", "[^"]*"\)""")]
    private static partial System.Text.RegularExpressions.Regex GeneratorVersion();

    [System.Text.RegularExpressions.GeneratedRegex("""InterceptsLocation\((\d+), "[^"]*"\)""")]
    private static partial System.Text.RegularExpressions.Regex InterceptsLocationData();

    /// <summary>Where snapshot <paramref name="name"/> is kept, as <c>verified</c> or <c>received</c>.</summary>
    public static string PathOf(string name, string kind) => Path.Combine(Directory, $"{name}.{kind}.cs");

    /// <summary>The generated text with its version and location data replaced by placeholders.</summary>
    public static string Scrub(string generated) =>
        InterceptsLocationData().Replace(GeneratorVersion().Replace(generated, "GeneratedCode(\"AuditGen\", \"{version}\")"), "InterceptsLocation($1, \"{data}\")");

    private static readonly string Directory = typeof(Snapshot).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "SnapshotDirectory").Value!;

    public static void Match(string actual, string name)
    {
        string directory = Directory;
        string verified = Path.Combine(directory, $"{name}.verified.cs");
        string received = Path.Combine(directory, $"{name}.received.cs");
        actual = Scrub(actual.Replace("\r\n", "\n"));
        bool update = Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1";

        if (!File.Exists(verified))
        {
            System.IO.Directory.CreateDirectory(directory);
            if (update)
            {
                File.WriteAllText(verified, actual);
                return;
            }

            File.WriteAllText(received, actual);
            Assert.Fail($"Snapshot {name}.verified.cs is missing; see {name}.received.cs. Review it, then accept it with UPDATE_SNAPSHOTS=1 and commit it.");
        }

        string expected = File.ReadAllText(verified).Replace("\r\n", "\n");
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }

        if (update)
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        File.WriteAllText(received, actual);
        Assert.Fail($"Generated code differs from Snapshots/{name}.verified.cs; see {name}.received.cs (UPDATE_SNAPSHOTS=1 accepts it).\n" +
                    FirstDifference(expected, actual));
    }

    private static string FirstDifference(string expected, string actual)
    {
        string[] e = expected.Split('\n'), a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end>", al = i < a.Length ? a[i] : "<end>";
            if (el != al)
            {
                return $"line {i + 1}:\n  expected: {el}\n  actual:   {al}";
            }
        }

        return "";
    }
}
