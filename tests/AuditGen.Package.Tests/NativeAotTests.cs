using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AuditGen.Package.Tests;

/// <summary>
/// The zero-reflection claim, proven: a consumer with generated decorators and interceptors, the SQLite store and the
/// read API (tests/AuditGen.NativeAot.App), published with Native AOT, starts, logs a use case both ways and answers a
/// query. Needs clang and lld (eng/test.sh installs Debian's).
/// </summary>
[Collection(RepositoryBuilds.Name)]
public sealed class NativeAotTests : IDisposable
{
    private static readonly Guid Actor = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    private readonly string _work = Path.Combine(Path.GetTempPath(), "auditgen-aot-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task A_native_AOT_publish_with_no_trimming_or_AOT_warnings_logs_use_cases_and_serves_the_read_API()
    {
        // The app's RID-specific intermediate output removed: ILC compiles afresh, so its warnings are seen every run.
        string rid = RuntimeInformation.RuntimeIdentifier;
        string intermediate = Path.Combine(PackageFeed.Root, "tests", "AuditGen.NativeAot.App", "obj", "Release", "net10.0", rid);
        if (Directory.Exists(intermediate))
        {
            Directory.Delete(intermediate, recursive: true);
        }

        string output = Path.Combine(_work, "publish");
        (int exit, string log) = await PackageFeed.RunAsync(PackageFeed.Root, "publish", "tests/AuditGen.NativeAot.App/AuditGen.NativeAot.App.csproj",
            "-c", "Release", "-r", rid, "-o", output, "-nologo");
        Assert.True(exit == 0, log);
        Assert.Contains("Generating native code", log);
        Assert.DoesNotContain("warning IL", log); // trimming (IL2xxx) and AOT (IL3xxx) analysis; also errors by IlcTreatWarningsAsErrors

        // A native executable, not an app host beside a managed assembly.
        string binary = Path.Combine(output, "AuditGen.NativeAot.App");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(binary)[..4]);
        Assert.False(File.Exists(Path.Combine(output, "AuditGen.NativeAot.App.dll")));

        var start = new ProcessStartInfo(binary, [Path.Combine(_work, "log.db"), Actor.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using Process app = Process.Start(start)!;
        app.ErrorDataReceived += (_, e) => { }; // drained, so a chatty stderr cannot block the app
        app.BeginErrorReadLine();
        try
        {
            string? logged = await app.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            string? listening = await app.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(logged?.StartsWith("logged ", StringComparison.Ordinal) == true, logged);
            Assert.StartsWith("listening http://127.0.0.1:", listening, StringComparison.Ordinal);
            string[] noteIds = logged.Split(' ')[1..];

            using var client = new HttpClient { BaseAddress = new Uri(listening!["listening ".Length..]) };
            string path = $"/v1/audit/actors/{Actor}/activities?order=oldest";
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync(path)).StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-User", Actor.ToString() } } };
            using HttpResponseMessage response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using JsonDocument page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            JsonElement[] items = [.. page.RootElement.GetProperty("items").EnumerateArray()];

            // One record per call: through the generated decorator (DI), then the generated interceptor (direct call).
            Assert.Equal(2, items.Length);
            Assert.All(items, i => Assert.Equal("create_note", i.GetProperty("action").GetString()));
            Assert.Equal([$"Note#{noteIds[0]}", $"Note#{noteIds[1]}"], items.Select(i => i.GetProperty("entity").GetString()));
            Assert.Equal(["through the decorator", "by a direct call"], items.Select(i => i.GetProperty("details").GetProperty("text").GetString()));
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
        }
    }
}
