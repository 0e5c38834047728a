using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace TaskBoard.Tests;

/// <summary>
/// The auditor console in headless Chromium (Debian's <c>chromium</c>, driven by Playwright), used as a person would:
/// sign in as audrey the auditor, type an actor, read the counts, page, open an entity's timeline, export. With
/// <c>UPDATE_SNAPSHOTS=1</c> it also writes the README's screenshots.
/// </summary>
public sealed class ConsoleTests : IAsyncLifetime
{
    private const string Chromium = "/usr/bin/chromium";
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private SampleServer _server = null!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (.ci/run does).");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        _server = await SampleServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> SignedInPageAsync(string user, string returnUrl)
    {
        IBrowserContext context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _server.Address.ToString(),
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            AcceptDownloads = true,
        });
        IPage page = await context.NewPageAsync();
        await page.GotoAsync($"/dev/sign-in?user={user}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        return page;
    }

    /// <summary>Alice creates 40 tasks and completes 20 (60 records: a second page); Bob creates 5.</summary>
    private async Task<string> SeedAsync()
    {
        using HttpClient alice = await _server.SignInAsync("alice");
        using HttpClient bob = await _server.SignInAsync("bob");
        string first = "";
        for (int i = 0; i < 40; i++)
        {
            JsonElement task = await SampleServer.CreateTaskAsync(alice, i == 0 ? "=HYPERLINK(\"http://evil\") <img src=x onerror=alert(1)>" : $"Task {i}");
            string id = task.GetProperty("id").GetString()!;
            first = i == 0 ? id : first;
            if (i % 2 == 0)
            {
                using HttpResponseMessage complete = await alice.PostAsync($"/tasks/{id}/complete", null);
                Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
            }
        }

        for (int i = 0; i < 5; i++)
        {
            await SampleServer.CreateTaskAsync(bob, $"Bob's task {i}");
        }

        return first;
    }

    [Fact]
    public async Task An_auditor_searches_an_actor_reads_the_counts_pages_opens_a_timeline_and_exports()
    {
        string firstTask = await SeedAsync();
        IPage page = await SignedInPageAsync("audrey", "/audit");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit console" })).ToBeVisibleAsync();

        // Type alice's id into the labelled field and press Enter, as a keyboard user does.
        await page.GetByLabel("Actor id").FillAsync(DevUsers.Alice.ToString());
        await page.GetByLabel("Actor id").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("50 records shown; more on the next page.");

        // The summary: what alice did, per action, most first; each bar a labelled progress element.
        await Assertions.Expect(page.Locator("#summary-caption")).ToHaveTextAsync("60 records in all");
        ILocator rows = page.Locator("#summary-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0).Locator("th")).ToHaveTextAsync("create_task");
        await Assertions.Expect(rows.Nth(0).Locator("td.count")).ToHaveTextAsync("40");
        await Assertions.Expect(rows.Nth(1).Locator("td.count")).ToHaveTextAsync("20");
        await Assertions.Expect(rows.Nth(0).Locator("progress")).ToHaveAttributeAsync("aria-label", "create_task: 40 of 60");

        // Names instead of GUIDs (the sample registers its users), the id one hover away; user input stays text.
        ILocator actorCell = page.Locator("#records tbody tr").First.Locator("td").Nth(3);
        await Assertions.Expect(actorCell).ToHaveTextAsync("alice");
        await Assertions.Expect(actorCell).ToHaveAttributeAsync("title", DevUsers.Alice.ToString());
        Assert.Equal(0, await page.Locator("#records img").CountAsync());
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(SampleServer.RepositoryRoot, "docs", "images", "audit-console.png") });
        }

        // The next page, by cursor.
        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("60 records shown.");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Next page" })).ToBeHiddenAsync();

        // An entity's timeline, oldest first; focus moves to it.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Task#{firstTask}" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Timeline of Task#{firstTask}" })).ToBeFocusedAsync();
        ILocator steps = page.Locator("#timeline-list > li");
        await Assertions.Expect(steps).ToHaveCountAsync(2);
        await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("create_task by alice");
        await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("complete_task by alice");

        // Export: the link downloads alice's records as CSV, names included.
        IDownload download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).ClickAsync());
        string csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("sequence,id,when,action,entityType,entityId,actor,actorName,owner,ownerName,traceId,spanId,details", csv);
        Assert.Equal(61, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains(",alice,", csv);
        Assert.Matches("audit-export-.*\\.csv", download.SuggestedFilename);

        // Another actor: bob's five.
        await page.GetByLabel("Actor id").FillAsync(DevUsers.Bob.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("5 records shown.");
        await Assertions.Expect(page.Locator("#summary-caption")).ToHaveTextAsync("5 records in all");

        // A bad value is named, not swallowed.
        await page.GetByLabel("Actor id").FillAsync("not-a-guid");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#status")).ToContainTextAsync("actorId must be a Guid");
    }

    [Fact]
    public async Task An_auditor_reads_what_changed_in_a_timeline_and_the_task_as_it_was_after_any_step()
    {
        using HttpClient alice = await _server.SignInAsync("alice");
        JsonElement task = await SampleServer.CreateTaskAsync(alice, "Draft <b>plan</b>");
        string id = task.GetProperty("id").GetString()!;
        using (HttpResponseMessage renamed = await alice.PutAsJsonAsync($"/tasks/{id}", new { title = "Ship it" }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        IPage page = await SignedInPageAsync("audrey", "/audit");
        await page.GetByLabel("Entity type").FillAsync("Task");
        await page.GetByLabel("Entity id").FillAsync(id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Task#{id}" }).First.ClickAsync();

        // Each step lists its changes as a person reads them; values stay text (no markup from a title).
        ILocator steps = page.Locator("#timeline-list > li");
        await Assertions.Expect(steps).ToHaveCountAsync(2);
        await Assertions.Expect(steps.Nth(0).Locator("li.diff")).ToContainTextAsync(["Title: \"Draft <b>plan</b>\""]);
        await Assertions.Expect(steps.Nth(1).Locator("li.diff")).ToContainTextAsync(["Title: \"Draft <b>plan</b>\" → \"Ship it\""]);
        Assert.Equal(0, await page.Locator("#timeline b").CountAsync());

        // The task as it was after its creation: the state rebuilt from the recorded changes.
        await steps.Nth(0).GetByRole(AriaRole.Button, new() { Name = "State here" }).ClickAsync();
        await Assertions.Expect(page.Locator("#state-title")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#state-note")).ToHaveTextAsync("Complete: its creation was recorded.");
        await Assertions.Expect(page.Locator("#state-properties")).ToContainTextAsync("\"Draft <b>plan</b>\"");
        await steps.Nth(1).GetByRole(AriaRole.Button, new() { Name = "State here" }).ClickAsync();
        await Assertions.Expect(page.Locator("#state-properties")).ToContainTextAsync("\"Ship it\"");
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(SampleServer.RepositoryRoot, "docs", "images", "audit-console-changes.png"), FullPage = true });
        }
    }

    [Fact]
    public async Task After_an_erasure_the_console_shows_the_subjects_values_as_erased_and_keeps_the_records()
    {
        using HttpClient alice = await _server.SignInAsync("alice");
        using HttpClient bob = await _server.SignInAsync("bob");
        string id = (await SampleServer.CreateTaskAsync(alice, "Call Dr. Smith about my results")).GetProperty("id").GetString()!;
        using (HttpResponseMessage renamed = await alice.PutAsJsonAsync($"/tasks/{id}", new { title = "Call Dr. Smith again" }))
        {
            Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        }

        await SampleServer.CreateTaskAsync(bob, "Bob's own title");

        // Priya, the privacy officer, answers alice's erasure request through the API (audit:erase).
        using HttpClient priya = await _server.SignInAsync("priya");
        using (HttpResponseMessage erased = await priya.PostAsJsonAsync($"/v1/audit/subjects/{DevUsers.Alice}/erasure", new { reason = "GDPR article 17 request" }))
        {
            Assert.True(erased.StatusCode == HttpStatusCode.OK, await erased.Content.ReadAsStringAsync());
        }

        IPage page = await SignedInPageAsync("audrey", "/audit");
        await page.GetByLabel("Actor id").FillAsync(DevUsers.Alice.ToString());
        await page.GetByLabel("Actor id").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("2 records shown.");

        // The records stay (who, what, which task, when); the title reads as the word, never the text.
        ILocator details = page.Locator("#records tbody td.details");
        await Assertions.Expect(details).ToHaveTextAsync(["{\"title\":\"erased\"}", "{\"title\":\"erased\"}"]);
        await Assertions.Expect(page.Locator("#records")).Not.ToContainTextAsync("Dr. Smith");

        // The timeline's diffs and the task's state say erased too.
        await page.GetByRole(AriaRole.Button, new() { Name = $"Task#{id}" }).First.ClickAsync();
        ILocator steps = page.Locator("#timeline-list > li");
        await Assertions.Expect(steps).ToHaveCountAsync(2);
        await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("create_task by alice");
        await Assertions.Expect(steps.Nth(0).Locator("li.diff")).ToContainTextAsync(["Title: erased"]);
        await Assertions.Expect(steps.Nth(1).Locator("li.diff")).ToContainTextAsync(["Title: erased → erased"]);
        await steps.Nth(1).GetByRole(AriaRole.Button, new() { Name = "State here" }).ClickAsync();
        await Assertions.Expect(page.Locator("#state-properties")).ToContainTextAsync("erased");
        await Assertions.Expect(page.Locator("#timeline")).Not.ToContainTextAsync("Dr. Smith");

        // Bob's data is his own: his title still reads in clear.
        await page.GetByLabel("Actor id").FillAsync(DevUsers.Bob.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#records")).ToContainTextAsync("Bob's own title");
    }

    [Fact]
    public async Task A_signed_in_user_without_the_read_policy_is_refused_and_an_anonymous_one_must_sign_in()
    {
        IPage alice = await SignedInPageAsync("alice", "/");
        IAPIResponse refused = await alice.Context.APIRequest.GetAsync("/audit"); // with the browser's own cookies
        Assert.Equal(403, refused.Status);

        IBrowserContext anonymous = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _server.Address.ToString() });
        Assert.Equal(401, (await anonymous.APIRequest.GetAsync("/audit")).Status);

        IPage audrey = await SignedInPageAsync("audrey", "/");
        await Assertions.Expect(audrey.GetByRole(AriaRole.Link, new() { Name = "Open the audit console" })).ToBeVisibleAsync();
        await Assertions.Expect((await SignedInPageAsync("bob", "/")).Locator("#console-link")).ToBeHiddenAsync();
        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            await audrey.ScreenshotAsync(new() { Path = Path.Combine(SampleServer.RepositoryRoot, "docs", "images", "taskboard.png") });
        }
    }

    [Fact]
    public async Task The_console_is_served_from_the_package_with_a_strict_content_security_policy()
    {
        using HttpClient audrey = await _server.SignInAsync("audrey");
        foreach (string path in (string[])["/audit", "/audit/console.js", "/audit/console.css"])
        {
            using HttpResponseMessage response = await audrey.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            string policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("script-src 'self'", policy);
            Assert.Contains("default-src 'none'", policy);
            Assert.DoesNotContain("unsafe-inline", policy);
        }

        string html = await audrey.GetStringAsync("/audit");
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal); // no CDN
        Assert.Contains("data-api=\"/v1/audit\"", html);
    }
}
