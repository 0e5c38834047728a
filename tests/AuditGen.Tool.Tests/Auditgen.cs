using System.Diagnostics;

namespace AuditGen.Tool.Tests;

/// <summary>Runs the built <c>auditgen</c> tool as a child process.</summary>
internal static class Auditgen
{
    public static string ToolPath()
    {
        // tests/AuditGen.Tool.Tests/bin/<Configuration>/net10.0 → src/AuditGen.Tool/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string configuration = here.Parent!.Name;
        string repository = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(repository, "src", "AuditGen.Tool", "bin", configuration, here.Name, "AuditGen.Tool.dll");
        Assert.True(File.Exists(path), $"auditgen not built at {path}");
        return path;
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [ToolPath(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }
}
