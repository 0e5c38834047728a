using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace AuditGen.Package.Tests;

/// <summary>
/// AuditGen consumed exactly as users consume it: packed into a folder feed, restored by version into a fresh package
/// cache (no stale copy can hide a broken package), built and run.
/// </summary>
public sealed partial class PackageTests : IDisposable
{
    private static readonly string Root = Path.GetFullPath(typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!);

    private readonly string _work = Path.Combine(Path.GetTempPath(), "auditgen-package-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task The_packed_AuditGen_package_logs_direct_and_DI_calls_and_reports_unlogged_mutations()
    {
        string feed = Path.Combine(_work, "feed");
        string cache = Path.Combine(_work, "packages");
        string consumer = Path.Combine(_work, "consumer");
        string version = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);

        (int packExit, string packOutput) = await RunAsync(Root, "pack", "src/AuditGen/AuditGen.csproj", "-c", "Release", "-o", feed, $"-p:Version={version}", "-nologo");
        Assert.True(packExit == 0, packOutput);

        // A copy of the consumer outside the repository, so nothing of the repository's build leaks in.
        Directory.CreateDirectory(consumer);
        foreach (string file in Directory.GetFiles(Path.Combine(Root, "tests", "AuditGen.Package.Tests", "Consumer")))
        {
            File.Copy(file, Path.Combine(consumer, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="auditgen" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """);

        (int buildExit, string buildOutput) = await RunAsync(consumer, "build", "-c", "Release", $"-p:AuditGenVersion={version}",
            $"-p:RestorePackagesPath={cache}", "-nologo", "-clp:NoSummary");
        Assert.True(buildExit == 0, buildOutput);

        string[] warnings = [.. WarningPattern().Matches(buildOutput).Select(m => m.Value).Distinct()];
        string warning = Assert.Single(warnings);
        Assert.Contains("warning AUD1001", warning);
        Assert.Contains("'ExecuteAsync' changes state (calls INoteRepository.DeleteAsync", warning);

        (int runExit, string runOutput) = await RunAsync(consumer, "run", "-c", "Release", "--no-build", $"-p:AuditGenVersion={version}");
        Assert.True(runExit == 0, runOutput);
        Assert.Contains("direct: 1 create_note Note#", runOutput);
        Assert.Contains("di: 1 create_note again", runOutput);
        Assert.True(Directory.Exists(Path.Combine(cache, "auditgen", version)), "the package came from the fresh cache");
    }

    [GeneratedRegex(@"[^\s]+\(\d+,\d+\): warning [A-Z]+\d+: [^\r\n]*")]
    private static partial Regex WarningPattern();
}
