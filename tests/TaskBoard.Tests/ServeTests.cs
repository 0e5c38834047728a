using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskBoard.Tests;

public sealed class ServeTests
{
    private static string[] Actions(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!).ToArray();

    [Fact]
    public async Task Task_endpoints_are_logged_and_read_back_through_the_audit_api()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");

        JsonElement task = await SampleServer.CreateTaskAsync(alice, "Write the docs");
        string id = task.GetProperty("id").GetString()!;
        (await alice.PutAsJsonAsync($"/tasks/{id}", new { title = "Write the README" })).EnsureSuccessStatusCode();
        (await alice.PostAsync($"/tasks/{id}/complete", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/tasks/{id}")).StatusCode);

        JsonElement history = await alice.GetFromJsonAsync<JsonElement>($"/v1/audit/entities/Task/{id}/activities?order=oldest");
        Assert.Equal(["create_task", "update_task", "complete_task", "delete_task"], Actions(history));
        JsonElement first = history.GetProperty("items")[0];
        Assert.Equal(DevUsers.Alice, first.GetProperty("actor").GetGuid());
        Assert.Equal("Write the docs", first.GetProperty("details").GetProperty("title").GetString());

        JsonElement feed = await alice.GetFromJsonAsync<JsonElement>($"/v1/audit/owners/{DevUsers.Alice}/activities");
        Assert.Equal(["delete_task", "complete_task", "update_task", "create_task"], Actions(feed));

        JsonElement catalog = await alice.GetFromJsonAsync<JsonElement>("/v1/audit/actions");
        Assert.Equal(6, catalog.GetProperty("items").GetArrayLength()); // the use cases' four, and reopen_task and rename_task of the controller and the route group
    }

    [Fact]
    public async Task A_request_with_a_traceparent_header_produces_a_record_with_that_trace_id()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");

        // W3C trace context from the caller: the request continues that trace, and the record names it.
        const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/tasks") { Content = JsonContent.Create(new { title = "Traced" }) };
        request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
        using HttpResponseMessage created = await alice.SendAsync(request);
        created.EnsureSuccessStatusCode();
        string id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        // A request without one starts its own trace: a different id, still recorded.
        (await alice.PutAsJsonAsync($"/tasks/{id}", new { title = "Traced again" })).EnsureSuccessStatusCode();

        JsonElement[] items = [.. (await alice.GetFromJsonAsync<JsonElement>($"/v1/audit/entities/Task/{id}/activities?order=oldest")).GetProperty("items").EnumerateArray()];
        Assert.Equal(2, items.Length);
        Assert.Equal(TraceId, items[0].GetProperty("traceId").GetString());
        Assert.Matches("^[0-9a-f]{16}$", items[0].GetProperty("spanId").GetString()!);
        Assert.NotEqual("00f067aa0ba902b7", items[0].GetProperty("spanId").GetString()); // the server's span, a child of the caller's
        Assert.Matches("^[0-9a-f]{32}$", items[1].GetProperty("traceId").GetString()!);
        Assert.NotEqual(TraceId, items[1].GetProperty("traceId").GetString());
    }

    [Fact]
    public async Task Health_says_healthy_while_the_log_is_reachable_and_unhealthy_when_its_database_is_gone()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Address };

        using (HttpResponseMessage healthy = await anonymous.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());
        }

        // The database file replaced by a directory: the store cannot open it. The sample's background services (the relay,
        // the checkpointer) may open the path again between the delete and the directory, which makes a new file there:
        // then delete again, until the directory stands.
        for (int attempt = 1; !Directory.Exists(server.DatabasePath); attempt++)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (string file in Directory.GetFiles(Path.GetDirectoryName(server.DatabasePath)!, "taskboard.db*"))
            {
                File.Delete(file);
            }

            try
            {
                Directory.CreateDirectory(server.DatabasePath);
            }
            catch (IOException) when (attempt < 100)
            {
                await Task.Delay(10);
            }
        }
        using HttpResponseMessage unhealthy = await anonymous.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
        Assert.Equal("Unhealthy", await unhealthy.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Other_users_neither_change_nor_read_alices_tasks_but_the_auditor_reads_her_feed()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");
        using HttpClient bob = await server.SignInAsync("bob");
        using HttpClient audrey = await server.SignInAsync("audrey");
        string id = (await SampleServer.CreateTaskAsync(alice, "Private")).GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"/tasks/{id}/complete", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/tasks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.GetAsync($"/v1/audit/owners/{DevUsers.Alice}/activities")).StatusCode);
        Assert.Empty(Actions(await bob.GetFromJsonAsync<JsonElement>($"/v1/audit/entities/Task/{id}/activities")));

        Assert.Equal(["create_task"], Actions(await audrey.GetFromJsonAsync<JsonElement>($"/v1/audit/owners/{DevUsers.Alice}/activities")));
        Assert.Equal(["create_task"], Actions(await audrey.GetFromJsonAsync<JsonElement>($"/v1/audit/actors/{DevUsers.Alice}/activities")));
    }

    [Fact]
    public async Task Without_sign_in_the_api_answers_401_not_a_redirect()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient anonymous = await server.SignInAsync(null);

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/v1/audit/owners/{DevUsers.Alice}/activities")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_and_the_page_say_they_are_for_development_only()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient anonymous = await server.SignInAsync(null);

        string signIn = await anonymous.GetStringAsync("/dev/sign-in");
        string page = await anonymous.GetStringAsync("/");

        Assert.Contains("<h1>Development-only sign-in</h1>", signIn);
        Assert.Contains("anyone who can reach this page can be anyone", signIn);
        Assert.All(DevUsers.All, u => Assert.Contains($"/dev/sign-in?user={u.Name}", signIn));
        Assert.Contains("<strong>Development-only sign-in.</strong>", page);
    }

    [Theory]
    [InlineData("""{"title":null}""")]
    [InlineData("""{"title":"   "}""")]
    [InlineData("""{"title":"a\u0000b"}""")]
    [InlineData("""{}""")]
    public async Task A_bad_title_is_a_400_naming_title_and_logs_nothing(string body)
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");

        using HttpResponseMessage response = await alice.PostAsync("/tasks", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
        Assert.Empty(Actions(await alice.GetFromJsonAsync<JsonElement>($"/v1/audit/owners/{DevUsers.Alice}/activities")));
    }

    [Fact]
    public async Task The_sign_in_only_redirects_within_the_site()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient client = await server.SignInAsync(null);

        using HttpResponseMessage local = await client.GetAsync("/dev/sign-in?user=bob&returnUrl=%2F%3Ftask%3D1");
        using HttpResponseMessage external = await client.GetAsync("/dev/sign-in?user=bob&returnUrl=%2F%2Fevil.example%2F");
        using HttpResponseMessage unknown = await client.GetAsync("/dev/sign-in?user=mallory");

        Assert.Equal("/?task=1", local.Headers.Location?.OriginalString);
        Assert.Equal("/", external.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://192.168.1.10:5080")]
    [InlineData("http://*:5080")]
    public void Serve_refuses_to_listen_beyond_loopback(string url)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TaskBoardServer.Build(["--urls", url]));
        Assert.Contains("loopback", ex.Message);
    }
}
