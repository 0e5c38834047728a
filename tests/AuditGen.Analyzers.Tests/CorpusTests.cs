using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Abstractions;

namespace AuditGen.Analyzers.Tests;

/// <summary>
/// Precision and recall over Corpus/*.cs: each file says what it expects in a header (<c>// expects: AUD1001, …</c>)
/// and on the line of each diagnostic (<c>// expect: AUD1001</c>). Every labelled diagnostic must be reported, and
/// nothing else.
/// </summary>
public partial class CorpusTests(ITestOutputHelper output)
{
    private static readonly string CorpusDirectory = Path.Combine(AppContext.BaseDirectory, "Corpus");

    private static string[] FileNames() => [.. Directory.GetFiles(CorpusDirectory, "C*.cs").Select(f => Path.GetFileName(f)).Order()];

    public static TheoryData<string> Files => [.. FileNames()];

    [Fact]
    public void The_corpus_has_at_least_40_labelled_files()
    {
        string[] files = FileNames();
        Assert.True(files.Length >= 40, $"only {files.Length} files");
        Assert.All(files, f => Assert.Matches(HeaderPattern(), File.ReadAllLines(Path.Combine(CorpusDirectory, f)).First()));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Reports_exactly_the_labelled_diagnostics(string file)
    {
        string source = File.ReadAllText(Path.Combine(CorpusDirectory, file));
        string[] lines = source.Split('\n');

        var expected = lines
            .SelectMany((line, i) => LinePattern().Match(line) is { Success: true } m
                ? m.Groups[1].Value.Split(',').Select(id => (Id: id.Trim(), Line: i + 1))
                : [])
            .OrderBy(e => e).ToList();
        string header = HeaderPattern().Match(lines[0]).Groups[1].Value.Trim();
        List<string> headerIds = header == "nothing" ? [] : [.. header.Split(',').Select(s => s.Trim()).Order()];
        Assert.Equal(headerIds, expected.Select(e => e.Id).Order()); // the header and the line labels agree

        IReadOnlyList<Diagnostic> diagnostics = await AnalyzeAsync(source, file);
        var actual = diagnostics
            .Where(d => d.Location.SourceTree?.FilePath == file)
            .Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1))
            .OrderBy(e => e).ToList();
        Assert.DoesNotContain(diagnostics, d => d.Location.SourceTree?.FilePath != file); // nothing in the shared files

        int truePositives = actual.Intersect(expected).Count();
        output.WriteLine($"{file}: expected {expected.Count}, reported {actual.Count}, matched {truePositives}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Precision_and_recall_over_the_whole_corpus_are_one()
    {
        int expectedTotal = 0, reportedTotal = 0, matched = 0;
        foreach (string file in FileNames())
        {
            string source = File.ReadAllText(Path.Combine(CorpusDirectory, file));
            var expected = source.Split('\n')
                .SelectMany((line, i) => LinePattern().Match(line) is { Success: true } m
                    ? m.Groups[1].Value.Split(',').Select(id => (Id: id.Trim(), Line: i + 1)) : []).ToList();
            var actual = (await AnalyzeAsync(source, file))
                .Select(d => (d.Id, Line: d.Location.GetLineSpan().StartLinePosition.Line + 1)).ToList();
            expectedTotal += expected.Count;
            reportedTotal += actual.Count;
            matched += actual.Count(a => expected.Remove(a));
        }

        double precision = reportedTotal == 0 ? 1 : (double)matched / reportedTotal;
        double recall = expectedTotal == 0 ? 1 : (double)matched / expectedTotal;
        output.WriteLine($"files {FileNames().Length}, labelled {expectedTotal}, reported {reportedTotal}, precision {precision:P1}, recall {recall:P1}");
        Assert.True(expectedTotal >= 30, $"only {expectedTotal} labelled diagnostics");
        Assert.Equal(1.0, precision);
        Assert.Equal(1.0, recall);
    }

    private static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(string source, string file)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Corpus",
            [
                CSharpSyntaxTree.ParseText(source, parse, path: file),
                CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(CorpusDirectory, "Shared.cs")), parse, path: "Shared.cs"),
                CSharpSyntaxTree.ParseText(References.EfStubs, parse, path: "EfStubs.cs"),
            ],
            References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        ImmutableArray<Diagnostic> diagnostics = await compilation
            .WithAnalyzers([new CoverageAnalyzer()])
            .GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.Where(d => d.Id.StartsWith("AUD1", StringComparison.Ordinal))];
    }

    [GeneratedRegex(@"//\s*expect:\s*([A-Z0-9, ]+?)\s*$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"^//\s*expects:\s*(.+)$")]
    private static partial Regex HeaderPattern();
}
