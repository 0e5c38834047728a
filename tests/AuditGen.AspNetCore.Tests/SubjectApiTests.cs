using System.Net;
using System.Text.Json;

namespace AuditGen.AspNetCore.Tests;

/// <summary>
/// The data-subject routes and sealed values in the read API, on a real Kestrel host over a real SQLite file: values read in
/// clear while the key exists and as {"erased": true} (CSV: erased) after erasure; who may erase and export; what a careless
/// client sends.
/// </summary>
public sealed class SubjectApiTests() : OfficerApiTestBase("subject-api", ["audit:read", "audit:erase", "audit:retention"])
{
    private async Task SeedAsync()
    {
        await Host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"),
            new Dictionary<string, object?> { ["title"] = new PersonalValue(Alice, "Call Dr. Alice Smith"), ["priority"] = 2 }));
        await Host.Log.AppendAsync(ActivityRecord.Create(Bob, Bob, "create_task", new EntityRef("Task", "2"),
            new Dictionary<string, object?> { ["title"] = new PersonalValue(Bob, "Bob's errand") }));
        await Host.Log.AppendAsync(ActivityRecord.Create(Bob, Alice, "assign_task", new EntityRef("Task", "1"),
            new Dictionary<string, object?> { ["assignee"] = new PersonalValue(Alice, "Alice Smith") }));
    }

    private static JsonElement Details(string page, string entityId, string action) => JsonDocument.Parse(page).RootElement.GetProperty("items").EnumerateArray()
        .Single(i => i.GetProperty("entity").GetString() == $"Task#{entityId}" && i.GetProperty("action").GetString() == action).GetProperty("details").Clone();

    [Fact]
    public async Task Values_read_in_clear_until_the_subject_is_erased_then_as_erased_in_lists_and_exports()
    {
        await SeedAsync();
        (HttpStatusCode before, string page) = await SendAsync(HttpMethod.Get, "/v1/audit/actions/create_task/activities", AuditorToken);
        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal("Call Dr. Alice Smith", Details(page, "1", "create_task").GetProperty("title").GetString());

        (HttpStatusCode erased, string body) = await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", OfficerToken, """{"reason":"GDPR request 2026-7"}""");

        Assert.Equal(HttpStatusCode.OK, erased);
        JsonElement result = JsonDocument.Parse(body).RootElement;
        Assert.Equal(Alice, result.GetProperty("subjectId").GetGuid());
        Assert.Equal(2, result.GetProperty("valuesErased").GetInt64());
        (_, page) = await SendAsync(HttpMethod.Get, "/v1/audit/actions/create_task/activities", AuditorToken);
        Assert.True(Details(page, "1", "create_task").GetProperty("title").GetProperty("erased").GetBoolean());
        Assert.Equal(2, Details(page, "1", "create_task").GetProperty("priority").GetInt32());
        Assert.Equal("Bob's errand", Details(page, "2", "create_task").GetProperty("title").GetString());

        (HttpStatusCode csvStatus, string csv) = await SendAsync(HttpMethod.Get, "/v1/audit/export?format=csv", AuditorToken);
        Assert.Equal(HttpStatusCode.OK, csvStatus);
        Assert.Contains("\"\"title\"\":\"\"erased\"\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice Smith", csv, StringComparison.Ordinal);
        (_, string ndjson) = await SendAsync(HttpMethod.Get, "/v1/audit/export?format=ndjson", AuditorToken);
        Assert.Contains("{\"erased\":true}", ndjson, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice Smith", ndjson, StringComparison.Ordinal);

        // The erasure is a record, by the officer, about Alice.
        ActivityRecord record = (await Host.Log.GetByActionAsync(ActivitySubjectKeys.ErasedAction)).Single();
        Assert.Equal(Officer, record.ActorId);
        Assert.Equal("GDPR request 2026-7", record.Metadata["reason"]);
    }

    [Fact]
    public async Task An_entitys_state_opens_its_personal_values_and_shows_them_erased_after_erasure()
    {
        var task = new EntityRef("Task", "3");
        await Host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", task) with
        {
            Changes = [new EntityChange(task, EntityChangeKind.Added,
                [new PropertyChange("Done", null, false), new PropertyChange("Title", null, new PersonalValue(Alice, "See Dr. Alice Smith"))])],
        });
        await Host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "rename_task", task) with
        {
            Changes = [new EntityChange(task, EntityChangeKind.Modified,
                [new PropertyChange("Title", new PersonalValue(Alice, "See Dr. Alice Smith"), new PersonalValue(Alice, "See Dr. Smith at 3"))])],
        });

        (HttpStatusCode status, string text) = await SendAsync(HttpMethod.Get, "/v1/audit/entities/Task/3/state", AuditorToken);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement properties = JsonDocument.Parse(text).RootElement.GetProperty("properties");
        Assert.Equal("See Dr. Smith at 3", properties.GetProperty("Title").GetString()); // opened: the sealed bytes never reach the reader
        Assert.False(properties.GetProperty("Done").GetBoolean());

        (HttpStatusCode erased, _) = await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", OfficerToken, """{"reason":"GDPR request 2026-8"}""");
        Assert.Equal(HttpStatusCode.OK, erased);
        (_, text) = await SendAsync(HttpMethod.Get, "/v1/audit/entities/Task/3/state", AuditorToken);
        properties = JsonDocument.Parse(text).RootElement.GetProperty("properties");
        Assert.True(properties.GetProperty("Title").GetProperty("erased").GetBoolean());
        Assert.DoesNotContain("Smith", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subject_export_streams_every_record_holding_their_data_in_clear()
    {
        await SeedAsync();

        using HttpResponseMessage response = await Host.SendAsync(HttpMethod.Get, $"/v1/audit/subjects/{Alice}/export", AuditorToken);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/x-ndjson", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // Alice's task and the assignment Bob made about her; not Bob's own task
        Assert.Contains("Call Dr. Alice Smith", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"assignee\":\"Alice Smith\"", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("Bob's errand", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_erase_policy_erases_and_exports_need_the_read_policy()
    {
        await SeedAsync();
        string reader = ApiHost.Token(Alice);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", null, """{"reason":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", AuditorToken, """{"reason":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", reader, """{"reason":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, $"/v1/audit/subjects/{Alice}/export", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/v1/audit/subjects/{Alice}/export", reader)).Status);
        Assert.Empty(await Host.Log.GetByActionAsync(ActivitySubjectKeys.ErasedAction));
    }

    [Fact]
    public async Task A_bad_subject_or_reason_is_a_400_naming_the_field_and_a_hold_is_a_409()
    {
        await SeedAsync();
        string longReason = new('r', ActivitySubjectKeys.MaxReasonLength + 1);

        foreach ((string path, string json, string field) in new[]
        {
            ("/v1/audit/subjects/not-a-guid/erasure", """{"reason":"x"}""", "subjectId"),
            ($"/v1/audit/subjects/{Guid.Empty}/erasure", """{"reason":"x"}""", "subjectId"),
            ($"/v1/audit/subjects/{Alice}/erasure", "{}", "reason"),
            ($"/v1/audit/subjects/{Alice}/erasure", """{"reason":"  "}""", "reason"),
            ($"/v1/audit/subjects/{Alice}/erasure", $$"""{"reason":"{{longReason}}"}""", "reason"),
            ($"/v1/audit/subjects/{Alice}/erasure", "not json", "body"),
        })
        {
            (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Post, path, OfficerToken, json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        (HttpStatusCode badExport, string exportBody) = await SendAsync(HttpMethod.Get, "/v1/audit/subjects/nope/export", AuditorToken);
        Assert.Equal(HttpStatusCode.BadRequest, badExport);
        Assert.True(JsonDocument.Parse(exportBody).RootElement.GetProperty("errors").TryGetProperty("subjectId", out _));

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/v1/audit/holds/case-alice", OfficerToken, $$"""{"ownerId":"{{Alice}}","reason":"litigation"}""")).Status);
        (HttpStatusCode held, string problem) = await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", OfficerToken, """{"reason":"x"}""");
        Assert.Equal(HttpStatusCode.Conflict, held);
        Assert.Contains("case-alice", problem, StringComparison.Ordinal);
        Assert.Empty(await Host.Log.GetByActionAsync(ActivitySubjectKeys.ErasedAction));
    }
}
