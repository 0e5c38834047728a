using System.Reflection;
using Microsoft.CodeAnalysis;

namespace AuditGen.Analyzers.Tests;

/// <summary>Every diagnostic leads to its own page: one id constant, one documented page, one link built from the repository URL.</summary>
public sealed class HelpLinkTests
{
    private static string Metadata(string key) =>
        typeof(HelpLinkTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static readonly DiagnosticDescriptor[] Descriptors =
    [
        .. new UseCaseMappingAnalyzer().SupportedDiagnostics,
        .. new CoverageAnalyzer().SupportedDiagnostics,
    ];

    [Fact]
    public void Each_help_link_is_the_rules_page_under_the_repository_the_packages_declare()
    {
        string repository = Metadata("RepositoryUrl");
        Assert.StartsWith("https://", repository, StringComparison.Ordinal);
        Assert.NotEmpty(Descriptors);
        Assert.All(Descriptors, d => Assert.Equal($"{repository}/blob/main/docs/diagnostics/{d.Id}.md", d.HelpLinkUri));
    }

    [Fact]
    public void Each_diagnostic_id_has_one_constant_one_descriptor_and_one_page()
    {
        // DiagnosticIds is compiled into the analyzers and the code fixes alike: read the analyzers' copy.
        Type ids = typeof(UseCaseMappingAnalyzer).Assembly.GetType("AuditGen.Generators.DiagnosticIds", throwOnError: true)!;
        string[] constants = [.. ids.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).Order(StringComparer.Ordinal)];
        string[] reported = [.. Descriptors.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal)];
        string[] pages = [.. Directory.GetFiles(Path.Combine(Metadata("RepositoryRoot"), "docs", "diagnostics"), "AUD*.md")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

        Assert.Equal(constants, reported);
        Assert.Equal(constants, pages);
    }
}
