using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AuditGen.Package.Tests;

/// <summary>
/// AuditGen consumed exactly as users consume it: packed into a folder feed, restored by version into a fresh package
/// cache (no stale copy can hide a broken package), built and run. One class, so no two tests pack at once.
/// </summary>
[Collection(RepositoryBuilds.Name)]
public sealed partial class PackageTests(PackageFeed feed) : IClassFixture<PackageFeed>
{
    private async Task<string> CopyConsumerAsync(string name)
    {
        // A copy of the consumer outside the repository, so nothing of the repository's build leaks in.
        string consumer = Path.Combine(feed.Work, name);
        Directory.CreateDirectory(consumer);
        foreach (string file in Directory.GetFiles(Path.Combine(PackageFeed.Root, "tests", "AuditGen.Package.Tests", "Consumer")))
        {
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="auditgen" value="{feed.Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);
        return consumer;
    }

    [Fact]
    public async Task The_packed_AuditGen_package_logs_direct_and_DI_calls_and_reports_unlogged_mutations()
    {
        string consumer = await CopyConsumerAsync("consumer");
        string cache = Path.Combine(feed.Work, "packages");

        (int buildExit, string buildOutput) = await PackageFeed.RunAsync(consumer, "build", "-c", "Release", $"-p:AuditGenVersion={feed.Version}",
            $"-p:RestorePackagesPath={cache}", "-nologo", "-clp:NoSummary");
        Assert.True(buildExit == 0, buildOutput);

        string[] warnings = [.. WarningPattern().Matches(buildOutput).Select(m => m.Value).Distinct()];
        string warning = Assert.Single(warnings);
        Assert.Contains("warning AUD1001", warning);
        Assert.Contains("'ExecuteAsync' changes state (calls INoteRepository.DeleteAsync", warning);

        (int runExit, string runOutput) = await PackageFeed.RunAsync(consumer, "run", "-c", "Release", "--no-build", $"-p:AuditGenVersion={feed.Version}");
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("direct: 1 create_note Note#", runOutput);
        Assert.Contains("di: 1 create_note again", runOutput);
        Assert.True(Directory.Exists(Path.Combine(cache, "auditgen", feed.Version)), "the package came from the fresh cache");
    }

    [Fact]
    public async Task The_auditgen_tool_installs_with_dotnet_tool_install_and_runs_as_auditgen()
    {
        string feedOfTools = Path.Combine(feed.Work, "tool-feed");
        await feed.PackAsync("AuditGen.Tool", feedOfTools);
        string tools = Path.Combine(feed.Work, "tools");
        (int installExit, string installOutput) = await PackageFeed.RunAsync(feed.Work, "tool", "install", "AuditGen.Tool", "--version", feed.Version,
            "--tool-path", tools, "--add-source", feedOfTools);
        Assert.True(installExit == 0, installOutput);
        Assert.Contains("You can invoke the tool using the following command: auditgen", installOutput);

        var start = new System.Diagnostics.ProcessStartInfo(Path.Combine(tools, OperatingSystem.IsWindows() ? "auditgen.exe" : "auditgen"), ["verify", "--help"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using System.Diagnostics.Process tool = System.Diagnostics.Process.Start(start)!;
        string help = await tool.StandardOutput.ReadToEndAsync();
        await tool.WaitForExitAsync();
        Assert.Equal(0, tool.ExitCode);
        Assert.Contains("auditgen verify [options]", help);
        Assert.Contains("--sqlite", help);
        Assert.Contains("--postgres", help);
    }

    [Fact]
    public async Task A_consumer_that_pins_the_8_0_abstractions_centrally_restores_builds_for_net8_and_runs()
    {
        // As in the clean-architecture templates: central package management with transitive pinning, on 8.0.
        string consumer = await CopyConsumerAsync("consumer-pinned-8");
        await File.WriteAllTextAsync(Path.Combine(consumer, "Directory.Packages.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
                <CentralPackageTransitivePinningEnabled>true</CentralPackageTransitivePinningEnabled>
              </PropertyGroup>
              <ItemGroup>
                <PackageVersion Include="AuditGen" Version="$(AuditGenVersion)" />
                <PackageVersion Include="Microsoft.Extensions.DependencyInjection" Version="8.0.0" />
                <PackageVersion Include="Microsoft.Extensions.DependencyInjection.Abstractions" Version="8.0.0" />
                <PackageVersion Include="Microsoft.Extensions.Logging.Abstractions" Version="8.0.0" />
              </ItemGroup>
            </Project>
            """);
        string project = Path.Combine(consumer, "Consumer.csproj");
        string csproj = await File.ReadAllTextAsync(project);
        csproj = csproj.Replace("<TargetFramework>net10.0</TargetFramework>", "<TargetFrameworks>net8.0;net10.0</TargetFrameworks>", StringComparison.Ordinal)
            .Replace("Version=\"$(AuditGenVersion)\" ", "", StringComparison.Ordinal)
            .Replace(" Version=\"10.0.15\"", "", StringComparison.Ordinal);
        await File.WriteAllTextAsync(project, csproj);

        (int buildExit, string buildOutput) = await PackageFeed.RunAsync(consumer, "build", "-c", "Release", $"-p:AuditGenVersion={feed.Version}",
            $"-p:RestorePackagesPath={Path.Combine(feed.Work, "packages-pinned-8")}", "-nologo", "-clp:NoSummary");
        Assert.True(buildExit == 0, buildOutput);
        Assert.DoesNotContain("NU1109", buildOutput);
        Assert.DoesNotContain("NU1605", buildOutput);

        (int runExit, string runOutput) = await PackageFeed.RunAsync(consumer, "run", "-c", "Release", "--no-build", "-f", "net10.0", $"-p:AuditGenVersion={feed.Version}");
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("di: 1 create_note again", runOutput);
    }

    [Fact]
    public async Task A_public_member_missing_from_the_API_baseline_fails_the_build_and_is_named()
    {
        // The real baseline of AuditGen.Sqlite without one of its lines: to the analyzer, that member is a new public API.
        string baseline = Path.Combine(Path.GetTempPath(), "auditgen-api-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(baseline);
        try
        {
            string project = Path.Combine(PackageFeed.Root, "src", "AuditGen.Sqlite");
            const string Removed = "AuditGen.Sqlite.SqliteActivityLogRepo.MigrateAsync(";
            File.Copy(Path.Combine(project, "PublicAPI.Shipped.txt"), Path.Combine(baseline, "PublicAPI.Shipped.txt"));
            string[] unshipped = await File.ReadAllLinesAsync(Path.Combine(project, "PublicAPI.Unshipped.txt"));
            Assert.Single(unshipped, l => l.StartsWith(Removed, StringComparison.Ordinal));
            await File.WriteAllLinesAsync(Path.Combine(baseline, "PublicAPI.Unshipped.txt"), unshipped.Where(l => !l.StartsWith(Removed, StringComparison.Ordinal)));

            // A failed compile writes no assembly: the repository's build output stays as it was.
            (int exit, string output) = await PackageFeed.RunAsync(PackageFeed.Root, "build", "src/AuditGen.Sqlite/AuditGen.Sqlite.csproj", "-c", "Release",
                "-f", "net10.0", "-p:BuildProjectReferences=false", $"-p:PublicApiBaselineDirectory={baseline}", "-nologo");
            Assert.NotEqual(0, exit);
            Assert.Contains("RS0016", output);
            Assert.Contains("MigrateAsync", output);
        }
        finally
        {
            Directory.Delete(baseline, recursive: true);
        }
    }

    [Theory]
    [InlineData("src/AuditGen.Sqlite/AuditGen.Sqlite.csproj", true)]
    [InlineData("src/AuditGen.EntityFrameworkCore/AuditGen.EntityFrameworkCore.csproj", true)]
    [InlineData("tests/AuditGen.Tests/AuditGen.Tests.csproj", false)]
    [InlineData("samples/TaskBoard/TaskBoard.csproj", false)]
    public async Task Shipped_projects_are_those_under_src_by_a_path_rule_that_holds_with_either_separator(string project, bool shipped)
    {
        (int exit, string output) = await PackageFeed.RunAsync(PackageFeed.Root, "msbuild", project, "-getProperty:AuditGenProjectPath",
            "-getProperty:IsShippedProject", "-getProperty:NoWarn", "-getProperty:IsPackable");
        Assert.True(exit == 0, output);

        // The relative path, separators normalised: never the absolute path, which may itself contain "/src/".
        System.Text.Json.JsonElement properties = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{')..]).RootElement.GetProperty("Properties");
        Assert.Equal(Path.GetDirectoryName(project)!.Replace('\\', '/'), properties.GetProperty("AuditGenProjectPath").GetString());
        // Every project writes its XML docs (IDE0005 needs them in the build); only shipped ones must document every member.
        Assert.Equal(!shipped, properties.GetProperty("NoWarn").GetString()!.Contains("CS1591", StringComparison.Ordinal));
        Assert.Equal(shipped ? "true" : "false", properties.GetProperty("IsPackable").GetString());
        string props = await File.ReadAllTextAsync(Path.Combine(PackageFeed.Root, "Directory.Build.props"));
        Assert.DoesNotContain("Contains('/src/')", props);
        Assert.Contains(".Replace('\\', '/')", props);
    }

    [Fact]
    public async Task An_sdk_below_the_floor_stops_the_build_with_a_clear_error()
    {
        // MSBuild's own version cannot be faked; raising the floor above this SDK's MSBuild takes the same path.
        string consumer = await CopyConsumerAsync("consumer-old-sdk");

        (int exit, string output) = await PackageFeed.RunAsync(consumer, "build", "-c", "Release", $"-p:AuditGenVersion={feed.Version}",
            $"-p:RestorePackagesPath={Path.Combine(feed.Work, "packages-old-sdk")}", "-p:AuditGenMinimumMSBuildVersion=99.0", "-nologo", "-clp:NoSummary");

        Assert.NotEqual(0, exit);
        Assert.Contains("error AUDSDK1: AuditGen needs the .NET SDK 9.0.300 or later", output);
        Assert.DoesNotContain("error CS", output);
    }

    [Fact]
    public async Task Coverage_conventions_can_be_set_as_msbuild_properties()
    {
        string consumer = await CopyConsumerAsync("consumer-conventions");

        // INoteRepository is a repository by its suffix; with only "Gateway" as a suffix, DeleteAsync mutates nothing.
        (int exit, string output) = await PackageFeed.RunAsync(consumer, "build", "-c", "Release", $"-p:AuditGenVersion={feed.Version}",
            $"-p:RestorePackagesPath={Path.Combine(feed.Work, "packages-conventions")}", "-p:AuditGenRepositorySuffixes=Gateway", "-nologo", "-clp:NoSummary");

        Assert.True(exit == 0, output);
        Assert.Empty(WarningPattern().Matches(output));
    }

    public static TheoryData<string, string[]> Contents() => new()
    {
        {
            "AuditGen",
            [
                "analyzers/dotnet/cs/AuditGen.Analyzers.dll", "analyzers/dotnet/cs/AuditGen.CodeFixes.dll", "analyzers/dotnet/cs/AuditGen.Generators.dll",
                "build/AuditGen.props", "build/AuditGen.targets", "buildTransitive/AuditGen.props", "buildTransitive/AuditGen.targets",
                "lib/net10.0/AuditGen.dll", "lib/net10.0/AuditGen.xml", "lib/net8.0/AuditGen.dll", "lib/net8.0/AuditGen.xml",
            ]
        },
        { "AuditGen.Sqlite", ["lib/net10.0/AuditGen.Sqlite.dll", "lib/net10.0/AuditGen.Sqlite.xml", "lib/net8.0/AuditGen.Sqlite.dll", "lib/net8.0/AuditGen.Sqlite.xml"] },
        { "AuditGen.PostgreSql", ["lib/net10.0/AuditGen.PostgreSql.dll", "lib/net10.0/AuditGen.PostgreSql.xml", "lib/net8.0/AuditGen.PostgreSql.dll", "lib/net8.0/AuditGen.PostgreSql.xml"] },
        { "AuditGen.EntityFrameworkCore", ["lib/net10.0/AuditGen.EntityFrameworkCore.dll", "lib/net10.0/AuditGen.EntityFrameworkCore.xml"] },
        { "AuditGen.AspNetCore", ["lib/net10.0/AuditGen.AspNetCore.dll", "lib/net10.0/AuditGen.AspNetCore.xml"] },
    };

    [Theory]
    [MemberData(nameof(Contents))]
    public void Each_package_carries_its_assemblies_docs_readme_metadata_and_symbols(string package, string[] files)
    {
        Dictionary<string, byte[]> entries = PackageFeed.Entries(feed.PackagePath(package));

        string[] payload = [.. entries.Keys.Where(k => k.StartsWith("lib/", StringComparison.Ordinal) || k.StartsWith("analyzers/", StringComparison.Ordinal) || k.StartsWith("build", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        string[] ruleDocs = [.. entries.Keys.Where(k => k.StartsWith("docs/diagnostics/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Assert.Equal(package == "AuditGen"
            ? Directory.GetFiles(Path.Combine(PackageFeed.Root, "docs", "diagnostics"), "*.md").Select(f => "docs/diagnostics/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)
            : [], ruleDocs);
        Assert.Equal(files.Order(StringComparer.Ordinal), payload);
        Assert.Contains("README.md", entries.Keys);
        Assert.StartsWith($"# {(package == "AuditGen" ? "AuditGen\n" : package)}", Encoding.UTF8.GetString(entries["README.md"]));

        XNamespace ns = "http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd";
        XElement metadata = XDocument.Load(new MemoryStream(entries[$"{package}.nuspec"])).Root!.Element(ns + "metadata")!;
        Assert.Equal("MIT", metadata.Element(ns + "license")?.Value);
        Assert.Equal("README.md", metadata.Element(ns + "readme")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")?.Value));
        Assert.Contains("audit", metadata.Element(ns + "tags")!.Value.Split(' '));
        if (package != "AuditGen")
        {
            // The adapters depend on AuditGen at the same version with everything it brings: generator, analyzers, props.
            XElement[] auditGen = [.. metadata.Descendants(ns + "dependency").Where(d => (string?)d.Attribute("id") == "AuditGen")];
            Assert.NotEmpty(auditGen);
            Assert.All(auditGen, d => Assert.Equal(feed.Version, (string?)d.Attribute("version")));
            Assert.All(auditGen, d => Assert.True(string.IsNullOrEmpty((string?)d.Attribute("exclude")), d.ToString()));
        }

        string[] symbols = [.. PackageFeed.Entries(feed.PackagePath(package, extension: "snupkg")).Keys.Where(k => k.EndsWith(".pdb", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
        Assert.Equal(files.Where(f => f.StartsWith("lib/", StringComparison.Ordinal) && f.EndsWith(".dll", StringComparison.Ordinal)).Select(f => f[..^4] + ".pdb").Order(StringComparer.Ordinal), symbols);
    }

    [Fact]
    public async Task A_clean_rebuild_packs_the_same_bytes()
    {
        string again = Path.Combine(feed.Work, "feed-again");
        await feed.PackAsync("AuditGen.Sqlite", again, rebuild: true);

        Dictionary<string, byte[]> first = PackageFeed.Entries(feed.PackagePath("AuditGen.Sqlite"));
        Dictionary<string, byte[]> second = PackageFeed.Entries(feed.PackagePath("AuditGen.Sqlite", again));
        Assert.Equal(first.Keys.Order(), second.Keys.Order());
        foreach ((string name, byte[] bytes) in first)
        {
            Assert.True(bytes.AsSpan().SequenceEqual(second[name]), $"{name} differs between two clean builds of the same commit");
        }
    }

    [GeneratedRegex(@"[^\s]+\(\d+,\d+\): warning [A-Z]+\d+: [^\r\n]*")]
    private static partial Regex WarningPattern();
}
