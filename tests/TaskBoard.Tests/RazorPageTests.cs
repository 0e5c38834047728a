using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace TaskBoard.Tests;

/// <summary>
/// The sample's Razor Page (<c>/Board/Rename/{id}</c>), logged by <c>[LogsActivity]</c> on its post handler, driven over
/// HTTP the way a browser drives a form: read the page with its antiforgery token, post the form. A success is recorded
/// with the signed-in user and the title; a form that does not validate, another user's task and a post without the
/// token record nothing.
/// </summary>
public sealed partial class RazorPageTests
{
    [GeneratedRegex("""<input[^>]*name="__RequestVerificationToken"[^>]*value="(?<token>[^"]+)"[^>]*>""")]
    private static partial Regex Token();

    private static async Task<string> FormTokenAsync(HttpClient client, string id)
    {
        using HttpResponseMessage page = await client.GetAsync($"/Board/Rename/{id}");
        string html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, html);
        Match token = Token().Match(html);
        Assert.True(token.Success, html);
        return token.Groups["token"].Value;
    }

    private static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string id, string title, string? token)
    {
        var fields = new Dictionary<string, string> { ["title"] = title };
        if (token is not null)
        {
            fields["__RequestVerificationToken"] = token;
        }

        return client.PostAsync($"/Board/Rename/{id}", new FormUrlEncodedContent(fields));
    }

    private static async Task<string> CreateTaskAsync(HttpClient client, string title)
    {
        using HttpResponseMessage created = await client.PostAsJsonAsync("/api/tasks", new { title });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<JsonElement[]> HistoryAsync(HttpClient client, string id) =>
        [.. (await client.GetFromJsonAsync<JsonElement>($"/v1/audit/entities/Task/{id}/activities?order=oldest")).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task A_posted_form_is_logged_with_the_signed_in_user_and_the_title()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");
        string id = await CreateTaskAsync(alice, "Draft the plan");
        string token = await FormTokenAsync(alice, id);

        using HttpResponseMessage posted = await PostFormAsync(alice, id, "Ship the plan", token);

        Assert.True(posted.StatusCode == HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        Assert.Contains("Ship the plan", await (await alice.GetAsync($"/Board/Rename/{id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        JsonElement[] history = await HistoryAsync(alice, id);
        Assert.Equal(["create_task", "rename_task"], history.Select(i => i.GetProperty("action").GetString()));
        Assert.Equal(DevUsers.Alice, history[1].GetProperty("actor").GetGuid());
        Assert.Equal("Ship the plan", history[1].GetProperty("details").GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_invalid_form_another_users_task_and_a_post_without_the_token_record_nothing()
    {
        await using SampleServer server = await SampleServer.StartAsync();
        using HttpClient alice = await server.SignInAsync("alice");
        using HttpClient bob = await server.SignInAsync("bob");
        using HttpClient anonymous = await server.SignInAsync(null);
        string id = await CreateTaskAsync(alice, "Alice's task");
        string aliceToken = await FormTokenAsync(alice, id);
        string bobToken = await FormTokenAsync(bob, await CreateTaskAsync(bob, "Bob's task"));

        using HttpResponseMessage blank = await PostFormAsync(alice, id, "   ", aliceToken);
        Assert.Equal(HttpStatusCode.OK, blank.StatusCode); // the form again, with its message
        Assert.Contains("1-200 characters", await blank.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await PostFormAsync(bob, id, "Bob's now", bobToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostFormAsync(alice, id, "No token", token: null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostFormAsync(anonymous, id, "Anonymous", aliceToken)).StatusCode);

        Assert.Equal(["create_task"], (await HistoryAsync(alice, id)).Select(i => i.GetProperty("action").GetString()));
        Assert.Contains("Alice&#x27;s task", await (await alice.GetAsync($"/Board/Rename/{id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
