using System.Net;
using System.Text.Json;

namespace AuditGen.AspNetCore.Tests;

public sealed class ActivityLogApiTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly Guid Alice = ApiFixture.Alice;
    private static readonly Guid Bob = ApiFixture.Bob;

    private List<Guid> Expected(Func<ActivityRecord, bool> filter, bool newestFirst = true)
    {
        IEnumerable<ActivityRecord> matching = fixture.Records.Where(filter);
        return (newestFirst ? matching.OrderByDescending(r => r.Sequence) : matching.OrderBy(r => r.Sequence)).Select(r => r.RecordId).ToList();
    }

    [Fact]
    public async Task Owner_feed_answers_the_seed_shape_in_camel_case()
    {
        JsonElement page = await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=1&order=oldest", fixture.AliceToken);

        Assert.Equal(["items", "nextCursor"], page.EnumerateObject().Select(p => p.Name));
        JsonElement item = Assert.Single(page.GetProperty("items").EnumerateArray().ToArray());
        Assert.Equal(["id", "action", "entity", "actor", "owner", "when", "details", "traceId", "spanId", "changes"], item.EnumerateObject().Select(p => p.Name));
        ActivityRecord first = fixture.Records[0];
        Assert.Equal(first.RecordId, item.GetProperty("id").GetGuid());
        Assert.Equal("create_task", item.GetProperty("action").GetString());
        Assert.Equal("Task#alice-0", item.GetProperty("entity").GetString());
        Assert.Equal(Alice.ToString(), item.GetProperty("actor").GetString());
        Assert.Equal(Alice.ToString(), item.GetProperty("owner").GetString());
        Assert.Equal("2024-01-15T09:00:00Z", item.GetProperty("when").GetString());
        Assert.Equal("""{"n":0,"title":"Task 0"}""", item.GetProperty("details").GetRawText());
        Assert.NotNull(page.GetProperty("nextCursor").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("traceId").ValueKind); // the fixture's records were appended outside any trace
        Assert.Equal(JsonValueKind.Null, item.GetProperty("spanId").ValueKind);
    }

    [Fact]
    public async Task Details_keep_every_metadata_type_as_plain_json()
    {
        JsonElement page = await fixture.GetJsonAsync($"/v1/audit/entities/Task/{ApiFixture.Shared.EntityId}/activities?limit=1", fixture.CarolToken);

        JsonElement details = page.GetProperty("items")[0].GetProperty("details");
        Assert.Equal("""{"at":"2024-01-15T09:00:00+00:00","ok":false,"tags":["a",1,true,null]}""", details.GetRawText());
    }

    [Fact]
    public async Task Responses_are_json_and_never_cached()
    {
        using HttpResponseMessage response = await fixture.Host.GetAsync($"/v1/audit/owners/{Alice}/activities", fixture.AliceToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("newest", 7)]
    [InlineData("oldest", 7)]
    [InlineData("newest", 1000)]
    [InlineData("oldest", 1)]
    public async Task Owner_feed_pages_to_the_end_by_cursor(string order, int limit)
    {
        List<Guid> ids = await fixture.GetAllIdsAsync($"/v1/audit/owners/{Alice}/activities?order={order}", fixture.AliceToken, limit);

        Assert.Equal(Expected(r => r.OwnerId == Alice, order == "newest"), ids);
    }

    [Fact]
    public async Task Each_list_route_answers_its_query_to_the_end()
    {
        Assert.Equal(
            Expected(r => r.EntityRef == new EntityRef("Task", "alice-1")),
            await fixture.GetAllIdsAsync("/v1/audit/entities/Task/alice-1/activities", fixture.AliceToken, 6));
        Assert.Equal(
            Expected(r => r.ActorId == Bob, newestFirst: false),
            await fixture.GetAllIdsAsync($"/v1/audit/actors/{Bob}/activities?order=oldest", fixture.CarolToken, 4));
        Assert.Equal(
            Expected(r => r.Action == "complete_task"),
            await fixture.GetAllIdsAsync("/v1/audit/actions/complete_task/activities", fixture.CarolToken, 9));
        Assert.Equal(
            Expected(r => r.OwnerId == Bob),
            await fixture.GetAllIdsAsync($"/v1/audit/owners/{Bob}/activities", fixture.CarolToken, 5));
    }

    [Fact]
    public async Task Since_and_until_narrow_every_page()
    {
        DateTimeOffset since = ApiFixture.Start.AddMinutes(10);
        DateTimeOffset until = ApiFixture.Start.AddMinutes(40);
        string path = $"/v1/audit/owners/{Alice}/activities?since=2024-01-15T09:10:00Z&until={Uri.EscapeDataString("2024-01-15T11:40:00+02:00")}";

        List<Guid> ids = await fixture.GetAllIdsAsync(path, fixture.AliceToken, 8);

        Assert.Equal(30, ids.Count);
        Assert.Equal(Expected(r => r.OwnerId == Alice && r.OccurredAt >= since && r.OccurredAt < until), ids);
    }

    [Theory]
    [InlineData("2024-01-15T09:10:00Z", 10)]
    [InlineData("2024-01-15T09:10Z", 10)]
    [InlineData("2024-01-15T09:09:59.5Z", 10)]
    [InlineData("2024-01-15T09:10:00.0000001Z", 11)]
    [InlineData("2024-01-15T10:10:00%2B01:00", 10)]
    [InlineData("2024-01-15T04:10:00-05:00", 10)]
    [InlineData("2024-01-15t09:10:00z", 10)]
    public async Task Since_accepts_iso_8601_with_z_or_an_offset(string since, int firstMinute)
    {
        List<Guid> ids = await fixture.GetAllIdsAsync($"/v1/audit/owners/{Alice}/activities?order=oldest&since={since}", fixture.AliceToken, 1000);

        Assert.Equal(Expected(r => r.OwnerId == Alice && r.OccurredAt >= ApiFixture.Start.AddMinutes(firstMinute), newestFirst: false), ids);
    }

    [Fact]
    public async Task Action_catalog_lists_each_action_once_by_name()
    {
        JsonElement catalog = await fixture.GetJsonAsync("/v1/audit/actions", fixture.BobToken);

        Assert.Equal(
            """{"items":[{"action":"create_task","entityType":"Task"},{"action":"update_task","entityType":"Task"}]}""",
            catalog.GetRawText());
    }

    [Fact]
    public async Task Without_the_read_policy_an_entity_history_shows_only_the_users_own_records()
    {
        string path = $"/v1/audit/entities/Task/{ApiFixture.Shared.EntityId}/activities";

        List<Guid> alice = await fixture.GetAllIdsAsync(path, fixture.AliceToken, 2);
        List<Guid> bob = await fixture.GetAllIdsAsync(path, fixture.BobToken, 2);
        List<Guid> carol = await fixture.GetAllIdsAsync(path, fixture.CarolToken, 2);

        Assert.Equal(Expected(r => r.EntityRef == ApiFixture.Shared && r.OwnerId == Alice), alice);
        Assert.Equal(Expected(r => r.EntityRef == ApiFixture.Shared && r.OwnerId == Bob), bob);
        Assert.Equal(Expected(r => r.EntityRef == ApiFixture.Shared), carol);

        // Bob's task: Alice sees nothing of it, though she changed it once (the record is Bob's data).
        Assert.Empty(await fixture.GetAllIdsAsync("/v1/audit/entities/Task/bob-0/activities", fixture.AliceToken, 50));
        Assert.Contains(fixture.Records, r => r.EntityRef.EntityId == "bob-0" && r.ActorId == Alice);
    }

    [Fact]
    public async Task No_route_leaks_another_owners_records()
    {
        // Everything Alice can reach without the read policy, on every route: only records she owns.
        var reachable = new List<Guid>();
        reachable.AddRange(await fixture.GetAllIdsAsync($"/v1/audit/owners/{Alice}/activities", fixture.AliceToken, 1000));
        foreach (string entity in fixture.Records.Select(r => r.EntityRef.EntityId).Distinct())
        {
            reachable.AddRange(await fixture.GetAllIdsAsync($"/v1/audit/entities/Task/{entity}/activities", fixture.AliceToken, 1000));
        }

        var owners = fixture.Records.ToDictionary(r => r.RecordId, r => r.OwnerId);
        Assert.NotEmpty(reachable);
        Assert.All(reachable, id => Assert.Equal(Alice, owners[id]));

        foreach (string path in new[] { $"/v1/audit/owners/{Bob}/activities", $"/v1/audit/actors/{Bob}/activities", $"/v1/audit/actors/{Alice}/activities", "/v1/audit/actions/create_task/activities" })
        {
            using HttpResponseMessage response = await fixture.Host.GetAsync(path, fixture.AliceToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.DoesNotContain("items", await response.Content.ReadAsStringAsync());
        }
    }

    public static TheoryData<string> Routes() =>
    [
        $"/v1/audit/entities/Task/alice-0/activities",
        $"/v1/audit/owners/{Alice}/activities",
        $"/v1/audit/actors/{Alice}/activities",
        "/v1/audit/actions/create_task/activities",
        "/v1/audit/actions",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_401_without_a_user(string path)
    {
        using HttpResponseMessage anonymous = await fixture.Host.GetAsync(path, token: null);
        using HttpResponseMessage forged = await fixture.Host.GetAsync(path, fixture.AliceToken[..^4] + "AAAA");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Theory]
    [InlineData("owners/{bob}/activities")]
    [InlineData("actors/{bob}/activities")]
    [InlineData("actors/{alice}/activities")]
    [InlineData("actions/create_task/activities")]
    public async Task Answers_403_without_the_read_policy(string route)
    {
        string path = "/v1/audit/" + route.Replace("{bob}", Bob.ToString()).Replace("{alice}", Alice.ToString());

        using HttpResponseMessage alice = await fixture.Host.GetAsync(path, fixture.AliceToken);
        using HttpResponseMessage carol = await fixture.Host.GetAsync(path, fixture.CarolToken);

        Assert.Equal(HttpStatusCode.Forbidden, alice.StatusCode);
        Assert.Equal(HttpStatusCode.OK, carol.StatusCode);
    }

    [Fact]
    public async Task A_user_without_a_guid_id_reads_no_ones_feed()
    {
        string token = ApiHost.Token(new Dictionary<string, object> { ["sub"] = "alice@example.com" });

        using HttpResponseMessage feed = await fixture.Host.GetAsync($"/v1/audit/owners/{Alice}/activities", token);
        using HttpResponseMessage history = await fixture.Host.GetAsync("/v1/audit/entities/Task/alice-0/activities", token);

        Assert.Equal(HttpStatusCode.Forbidden, feed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, history.StatusCode);
    }

    public static TheoryData<string, string> BadRequests()
    {
        string owner = $"/v1/audit/owners/{Alice}/activities";
        var data = new TheoryData<string, string>
        {
            { owner + "?limit=0", "limit" },
            { owner + "?limit=1001", "limit" },
            { owner + "?limit=-1", "limit" },
            { owner + "?limit=abc", "limit" },
            { owner + "?limit=1.5", "limit" },
            { owner + "?limit=%205", "limit" },
            { owner + "?limit=99999999999999999999", "limit" },
            { owner + "?limit=", "limit" },
            { owner + "?limit=5&limit=6", "limit" },
            { owner + "?order=sideways", "order" },
            { owner + "?order=", "order" },
            { owner + "?since=yesterday", "since" },
            { owner + "?since=2024-01-15", "since" },
            { owner + "?since=2024-01-15T09:00:00", "since" },
            { owner + "?since=2024-01-15T09:00:00+02:00", "since" },
            { owner + "?since=2024-13-40T09:00:00Z", "since" },
            { owner + "?until=2024-01-15T25:00:00Z", "until" },
            { owner + "?since=2024-01-16T00:00:00Z&until=2024-01-15T00:00:00Z", "since" },
            { owner + "?cursor=not-a-cursor", "cursor" },
            { owner + "?cursor=", "cursor" },
            { owner + "?cursor=" + new string('A', 4000), "cursor" },
            { owner + "?cursor=%00%01%FF", "cursor" },
            { "/v1/audit/owners/not-a-guid/activities", "ownerId" },
            { $"/v1/audit/owners/{Guid.Empty}/activities", "ownerId" },
            { "/v1/audit/actors/12345/activities", "actorId" },
            { $"/v1/audit/actors/{Guid.Empty}/activities", "actorId" },
            { "/v1/audit/actions/Create%20Task/activities", "action" },
            { $"/v1/audit/actions/{new string('a', 200)}/activities", "action" },
            { "/v1/audit/actions/create_task%0A/activities", "action" },
            { $"/v1/audit/entities/{new string('T', 300)}/1/activities", "entityType" },
            { "/v1/audit/entities/Task/%01/activities", "entityId" },
            { $"/v1/audit/entities/Task/{new string('x', 600)}/activities", "entityId" },
            { "/v1/audit/entities/%20/1/activities", "entityType" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_answers_400_problem_details_naming_the_parameter(string path, string parameter)
    {
        using HttpResponseMessage response = await fixture.Host.GetAsync(path, fixture.CarolToken);
        string body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("https://tools.ietf.org/html/rfc9110#section-15.5.1", problem.GetProperty("type").GetString());
        JsonProperty error = Assert.Single(problem.GetProperty("errors").EnumerateObject().ToArray());
        Assert.Equal(parameter, error.Name);
        Assert.StartsWith(parameter, error.Value[0].GetString());
    }

    [Fact]
    public async Task Several_bad_parameters_are_all_named()
    {
        JsonElement problem = await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=0&order=up&since=x&until=y", fixture.AliceToken, 400);

        Assert.Equal(["limit", "order", "since", "until"], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task A_cursor_only_continues_its_own_query()
    {
        JsonElement first = await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=3", fixture.CarolToken);
        string cursor = Uri.EscapeDataString(first.GetProperty("nextCursor").GetString()!);

        // The same cursor on another owner, another order, another range, or edited by one character.
        await fixture.GetJsonAsync($"/v1/audit/owners/{Bob}/activities?limit=3&cursor={cursor}", fixture.CarolToken, 400);
        await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=3&order=oldest&cursor={cursor}", fixture.CarolToken, 400);
        await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=3&since=2024-01-01T00:00:00Z&cursor={cursor}", fixture.CarolToken, 400);
        string edited = cursor[..^1] + (cursor[^1] == 'A' ? 'B' : 'A');
        await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=3&cursor={edited}", fixture.CarolToken, 400);

        // A different page size continues the same query.
        JsonElement next = await fixture.GetJsonAsync($"/v1/audit/owners/{Alice}/activities?limit=5&cursor={cursor}", fixture.CarolToken);
        Assert.Equal(Expected(r => r.OwnerId == Alice).Skip(3).Take(5), next.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task Bad_input_leaves_the_log_unchanged()
    {
        ActivityPage before = await fixture.Host.Log.QueryAsync(new ActivityQuery { Limit = 1000 });
        foreach ((string path, string _) in BadRequests().Select(row => ((string)row[0], (string)row[1])))
        {
            using HttpResponseMessage response = await fixture.Host.GetAsync(path, fixture.AliceToken);
            Assert.True((int)response.StatusCode < 500, path);
        }

        ActivityPage after = await fixture.Host.Log.QueryAsync(new ActivityQuery { Limit = 1000 });
        Assert.Equal(before.Items, after.Items);
        Assert.Equal(fixture.Records.Count, after.Items.Count);
    }
}
