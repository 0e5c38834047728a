using System.Diagnostics;

namespace TaskBoard.Tests;

/// <summary>
/// The HTML page in headless Chromium (Debian's <c>chromium</c>; <c>.ci/run</c> installs it): the page signs in,
/// calls <c>/v1/audit</c> from the browser and renders what it answers. <c>--dump-dom</c> prints the DOM once the
/// page's fetches have settled (<c>--virtual-time-budget</c> waits for them).
/// </summary>
public sealed class BrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task Page_shows_the_create_task_entry_in_the_tasks_history()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");
        string id = (await SampleServer.CreateTaskAsync(alice, "Buy <b>milk</b>")).GetProperty("id").GetString()!;

        string dom = await DumpDomAsync(new Uri(server.Address, $"/dev/sign-in?user=alice&returnUrl={Uri.EscapeDataString($"/?task={id}")}"));

        string history = Between(dom, "<ol id=\"history\"", "</ol>");
        Assert.Contains($"History of Task#{id}", dom);
        Assert.Contains("<li data-action=\"create_task\">", history);
        Assert.Contains("by <span>alice</span>", history);

        // The title is user input: shown as text, never as markup.
        Assert.Contains("title=\"Buy &lt;b&gt;milk&lt;/b&gt;\"", history);
        Assert.Contains("Signed in as alice.", dom);
    }

    private static string Between(string text, string start, string end)
    {
        int from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"'{start}' not in the page:\n{text}");
        int to = text.IndexOf(end, from, StringComparison.Ordinal);
        return text[from..to];
    }

    private static async Task<string> DumpDomAsync(Uri url)
    {
        string profile = Directory.CreateTempSubdirectory("chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(Chromium)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    $"--user-data-dir={profile}", "--virtual-time-budget=15000", "--dump-dom", url.ToString(),
                },
            };
            using Process chromium = Process.Start(start)!;
            Task<string> stdout = chromium.StandardOutput.ReadToEndAsync();
            Task<string> stderr = chromium.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await chromium.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish: {await stderr}");
            }

            string dom = await stdout;
            Assert.True(dom.Length > 0, $"Chromium printed no DOM (exit {chromium.ExitCode}): {await stderr}");
            return dom;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
