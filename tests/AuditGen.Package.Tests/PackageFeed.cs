using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Reflection;

namespace AuditGen.Package.Tests;

/// <summary>The five packages, packed once with a test version into a folder feed.</summary>
public sealed class PackageFeed : IAsyncLifetime
{
    public static readonly string[] Packages = ["AuditGen", "AuditGen.Sqlite", "AuditGen.PostgreSql", "AuditGen.EntityFrameworkCore", "AuditGen.AspNetCore"];

    public static readonly string Root = Path.GetFullPath(typeof(PackageFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!);

    public string Work { get; } = Path.Combine(Path.GetTempPath(), "auditgen-package-" + Guid.NewGuid().ToString("N"));

    public string Feed => Path.Combine(Work, "feed");

    public string Version { get; } = "0.0.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        foreach (string package in Packages)
        {
            await PackAsync(package, Feed);
        }
    }

    /// <summary>Packs one package; with <paramref name="rebuild"/>, after a clean rebuild of it and everything it references.</summary>
    public async Task PackAsync(string package, string output, bool rebuild = false)
    {
        string project = $"src/{package}/{package}.csproj";
        if (rebuild)
        {
            (int buildExit, string buildLog) = await RunAsync(Root, "build", project, "-c", "Release", "--no-incremental", $"-p:Version={Version}", "-nologo");
            Assert.True(buildExit == 0, buildLog);
        }

        (int exit, string log) = await RunAsync(Root, ["pack", project, "-c", "Release", "-o", output, $"-p:Version={Version}", "-nologo", .. (rebuild ? (string[])["--no-build"] : [])]);
        Assert.True(exit == 0, log);
    }

    public string PackagePath(string package, string? feed = null, string extension = "nupkg") =>
        Path.Combine(feed ?? Feed, $"{package}.{Version}.{extension}");

    /// <summary>Every entry of a package with its bytes.</summary>
    public static Dictionary<string, byte[]> Entries(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using Stream stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
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

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Work, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }
}
