using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AuditGen.Tool.Tests;

/// <summary><c>auditgen witness</c> as a child process on 127.0.0.1: started, read for its vkey and address, killed.</summary>
internal sealed class WitnessProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WitnessProcess(Process process, string verifierKey, Uri url)
    {
        _process = process;
        VerifierKey = verifierKey;
        Url = url;
    }

    /// <summary>The witness's key as it printed it (without <c>vkey: </c>).</summary>
    public string VerifierKey { get; }

    /// <summary>Where it listens, ending in a slash.</summary>
    public Uri Url { get; }

    /// <summary>A free port on 127.0.0.1 (bound and released).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<WitnessProcess> StartAsync(string state, int port = 0, params string[] logKeys)
    {
        string[] arguments = ["witness", "--state", state, "--urls", $"http://127.0.0.1:{port}", .. logKeys.SelectMany(k => new[] { "--log-key", k })];
        var start = new ProcessStartInfo("dotnet", [Auditgen.ToolPath(), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start)!;
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string? vkey = null;
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("vkey: ", StringComparison.Ordinal))
            {
                vkey = line["vkey: ".Length..];
            }
            else if (line.StartsWith("listening on ", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None); // keep draining
                return new WitnessProcess(process, vkey!, new Uri(line["listening on ".Length..].Split(' ')[0] + "/"));
            }
        }

        await process.WaitForExitAsync(deadline.Token);
        lock (errors)
        {
            throw new InvalidOperationException($"auditgen witness exited {process.ExitCode} before listening: {errors}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
