using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace TaskBoard.Tests;

/// <summary>
/// The sample's API controller (<c>/api/tasks</c>) and minimal-API route group (<c>/board/tasks</c>), logged by
/// <c>[LogsActivity]</c> alone, over HTTP on the real server: successes are recorded with the signed-in user, failures
/// (validation, NotFound) are not, and the history reads back through the audit API.
/// </summary>
public sealed class ControllerAndRouteGroupTests
{
    private static async Task<string[]> HistoryAsync(HttpClient client, string id)
    {
        JsonElement page = await client.GetFromJsonAsync<JsonElement>($"/v1/audit/entities/Task/{id}/activities?order=oldest");
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()!).ToArray();
    }

    [Fact]
    public async Task The_controllers_actions_and_the_route_groups_handlers_are_logged()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");

        using HttpResponseMessage created = await alice.PostAsJsonAsync("/api/tasks", new { title = "Plan the release" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        JsonElement task = await created.Content.ReadFromJsonAsync<JsonElement>();
        string id = task.GetProperty("id").GetString()!;
        Assert.Equal($"/api/tasks/{id}", created.Headers.Location!.AbsolutePath);

        (await alice.PatchAsJsonAsync($"/board/tasks/{id}/title", new { title = "Ship the release" })).EnsureSuccessStatusCode();
        (await alice.PostAsync($"/api/tasks/{id}/reopen", null)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await alice.DeleteAsync($"/board/tasks/{id}")).StatusCode);

        Assert.Equal(["create_task", "rename_task", "reopen_task", "delete_task"], await HistoryAsync(alice, id));
        JsonElement history = await alice.GetFromJsonAsync<JsonElement>($"/v1/audit/entities/Task/{id}/activities?order=oldest");
        JsonElement first = history.GetProperty("items")[0], rename = history.GetProperty("items")[1];
        Assert.Equal(DevUsers.Alice, first.GetProperty("actor").GetGuid());
        Assert.Equal("Plan the release", first.GetProperty("details").GetProperty("title").GetString());
        Assert.Equal("Ship the release", rename.GetProperty("details").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Failures_record_nothing()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");
        using HttpClient bob = await server.SignInAsync("bob");
        JsonElement task = await (await alice.PostAsJsonAsync("/api/tasks", new { title = "Alice's" })).Content.ReadFromJsonAsync<JsonElement>();
        string id = task.GetProperty("id").GetString()!;

        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PostAsJsonAsync("/api/tasks", new { title = "" })).StatusCode);          // model validation
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.PatchAsJsonAsync($"/board/tasks/{id}/title", new { title = " " })).StatusCode); // ValidationProblem
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PatchAsJsonAsync($"/board/tasks/{id}/title", new { title = "Bob's now" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.PostAsync($"/api/tasks/{id}/reopen", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.DeleteAsync($"/board/tasks/{id}")).StatusCode);

        Assert.Equal(["create_task"], await HistoryAsync(alice, id));
        using HttpClient auditor = await server.SignInAsync("audrey");
        foreach (Guid actor in new[] { DevUsers.Alice, DevUsers.Bob })
        {
            JsonElement feed = await auditor.GetFromJsonAsync<JsonElement>($"/v1/audit/actors/{actor}/activities");
            Assert.Equal(actor == DevUsers.Alice ? 1 : 0, feed.GetProperty("items").GetArrayLength());
        }
    }
}
