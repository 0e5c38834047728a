using System.Reflection;
using AuditGen.Analyzers;
using Microsoft.CodeAnalysis.CSharp;

namespace AuditGen.Generators.Tests;

/// <summary>
/// The generator and analyzers must load in every compiler from the .NET SDK 9.0.300 on (Roslyn 4.14), the floor the
/// package declares (AUDSDK1). A reference above 4.14 would make older compilers skip them silently.
/// </summary>
public sealed class CompilerFloorTests
{
    private static readonly Version Floor = new(4, 14, 0, 0);

    [Theory]
    [InlineData(typeof(LoggedUseCaseGenerator))]
    [InlineData(typeof(CoverageAnalyzer))]
    public void Generator_and_analyzers_reference_no_roslyn_above_the_floor(Type shipped)
    {
        AssemblyName[] roslyn = [.. shipped.Assembly.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))];

        Assert.NotEmpty(roslyn);
        Assert.All(roslyn, a => Assert.True(a.Version <= Floor, $"{shipped.Assembly.GetName().Name} references {a.Name} {a.Version}, above {Floor}"));
    }

    [Fact]
    public void These_tests_run_the_generator_on_the_floor_compiler()
    {
        // The snapshot, incremental and analyzer tests host Roslyn 4.14 itself; the SDK's own build (Roslyn 5.9) runs the rest.
        Assert.Equal(Floor, typeof(CSharpCompilation).Assembly.GetName().Version);
    }
}
