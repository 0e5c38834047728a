using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

/// <summary>
/// The data-subject routes and sealed values in the read API, on a real Kestrel host over a real SQLite file: values read in
/// clear while the key exists and as {"erased": true} (CSV: erased) after erasure; who may erase and export; what a careless
/// client sends.
/// </summary>
public sealed class SubjectApiTests : IAsyncLifetime
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    private static readonly Guid Officer = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000a0d17");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-subject-api-" + Guid.NewGuid().ToString("N"));
    private readonly string _officer = ApiHost.Token(Officer, "audit:read", "audit:erase", "audit:retention");
    private readonly string _auditor = ApiHost.Token(Guid.NewGuid(), "audit:read");
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _host = await ApiHost.StartAsync(services => services.AddActivityLog(log => log
            .UseSqlite($"Data Source={Path.Combine(_folder, "audit.db")}").UseInProcessDelivery()
            .UseRetention(o => o.Policy.KeepMonths = 12)));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using HttpResponseMessage response = await _host.SendAsync(method, path, token, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task SeedAsync()
    {
        await _host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"),
            new Dictionary<string, object?> { ["title"] = new PersonalValue(Alice, "Call Dr. Alice Smith"), ["priority"] = 2 }));
        await _host.Log.AppendAsync(ActivityRecord.Create(Bob, Bob, "create_task", new EntityRef("Task", "2"),
            new Dictionary<string, object?> { ["title"] = new PersonalValue(Bob, "Bob's errand") }));
        await _host.Log.AppendAsync(ActivityRecord.Create(Bob, Alice, "assign_task", new EntityRef("Task", "1"),
            new Dictionary<string, object?> { ["assignee"] = new PersonalValue(Alice, "Alice Smith") }));
    }

    private static JsonElement Details(string page, string entityId, string action) => JsonDocument.Parse(page).RootElement.GetProperty("items").EnumerateArray()
        .Single(i => i.GetProperty("entity").GetString() == $"Task#{entityId}" && i.GetProperty("action").GetString() == action).GetProperty("details").Clone();

    [Fact]
    public async Task Values_read_in_clear_until_the_subject_is_erased_then_as_erased_in_lists_and_exports()
    {
        await SeedAsync();
        (HttpStatusCode before, string page) = await SendAsync(HttpMethod.Get, "/v1/audit/actions/create_task/activities", _auditor);
        Assert.Equal(HttpStatusCode.OK, before);
        Assert.Equal("Call Dr. Alice Smith", Details(page, "1", "create_task").GetProperty("title").GetString());

        (HttpStatusCode erased, string body) = await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", _officer, """{"reason":"GDPR request 2026-7"}""");

        Assert.Equal(HttpStatusCode.OK, erased);
        JsonElement result = JsonDocument.Parse(body).RootElement;
        Assert.Equal(Alice, result.GetProperty("subjectId").GetGuid());
        Assert.Equal(2, result.GetProperty("valuesErased").GetInt64());
        (_, page) = await SendAsync(HttpMethod.Get, "/v1/audit/actions/create_task/activities", _auditor);
        Assert.True(Details(page, "1", "create_task").GetProperty("title").GetProperty("erased").GetBoolean());
        Assert.Equal(2, Details(page, "1", "create_task").GetProperty("priority").GetInt32());
        Assert.Equal("Bob's errand", Details(page, "2", "create_task").GetProperty("title").GetString());

        (HttpStatusCode csvStatus, string csv) = await SendAsync(HttpMethod.Get, "/v1/audit/export?format=csv", _auditor);
        Assert.Equal(HttpStatusCode.OK, csvStatus);
        Assert.Contains("\"\"title\"\":\"\"erased\"\"", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice Smith", csv, StringComparison.Ordinal);
        (_, string ndjson) = await SendAsync(HttpMethod.Get, "/v1/audit/export?format=ndjson", _auditor);
        Assert.Contains("{\"erased\":true}", ndjson, StringComparison.Ordinal);
        Assert.DoesNotContain("Alice Smith", ndjson, StringComparison.Ordinal);

        // The erasure is a record, by the officer, about Alice.
        ActivityRecord record = (await _host.Log.GetByActionAsync(ActivitySubjectKeys.ErasedAction)).Single();
        Assert.Equal(Officer, record.ActorId);
        Assert.Equal("GDPR request 2026-7", record.Metadata["reason"]);
    }

    [Fact]
    public async Task An_entitys_state_opens_its_personal_values_and_shows_them_erased_after_erasure()
    {
        var task = new EntityRef("Task", "3");
        await _host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", task) with
        {
            Changes = [new EntityChange(task, EntityChangeKind.Added,
                [new PropertyChange("Done", null, false), new PropertyChange("Title", null, new PersonalValue(Alice, "See Dr. Alice Smith"))])],
        });
        await _host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "rename_task", task) with
        {
            Changes = [new EntityChange(task, EntityChangeKind.Modified,
                [new PropertyChange("Title", new PersonalValue(Alice, "See Dr. Alice Smith"), new PersonalValue(Alice, "See Dr. Smith at 3"))])],
        });

        (HttpStatusCode status, string text) = await SendAsync(HttpMethod.Get, "/v1/audit/entities/Task/3/state", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement properties = JsonDocument.Parse(text).RootElement.GetProperty("properties");
        Assert.Equal("See Dr. Smith at 3", properties.GetProperty("Title").GetString()); // opened: the sealed bytes never reach the reader
        Assert.False(properties.GetProperty("Done").GetBoolean());

        (HttpStatusCode erased, _) = await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", _officer, """{"reason":"GDPR request 2026-8"}""");
        Assert.Equal(HttpStatusCode.OK, erased);
        (_, text) = await SendAsync(HttpMethod.Get, "/v1/audit/entities/Task/3/state", _auditor);
        properties = JsonDocument.Parse(text).RootElement.GetProperty("properties");
        Assert.True(properties.GetProperty("Title").GetProperty("erased").GetBoolean());
        Assert.DoesNotContain("Smith", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subject_export_streams_every_record_holding_their_data_in_clear()
    {
        await SeedAsync();

        using HttpResponseMessage response = await _host.SendAsync(HttpMethod.Get, $"/v1/audit/subjects/{Alice}/export", _auditor);
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
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", _auditor, """{"reason":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", reader, """{"reason":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, $"/v1/audit/subjects/{Alice}/export", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/v1/audit/subjects/{Alice}/export", reader)).Status);
        Assert.Empty(await _host.Log.GetByActionAsync(ActivitySubjectKeys.ErasedAction));
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
            (HttpStatusCode status, string body) = await SendAsync(HttpMethod.Post, path, _officer, json);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        (HttpStatusCode badExport, string exportBody) = await SendAsync(HttpMethod.Get, "/v1/audit/subjects/nope/export", _auditor);
        Assert.Equal(HttpStatusCode.BadRequest, badExport);
        Assert.True(JsonDocument.Parse(exportBody).RootElement.GetProperty("errors").TryGetProperty("subjectId", out _));

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Put, "/v1/audit/holds/case-alice", _officer, $$"""{"ownerId":"{{Alice}}","reason":"litigation"}""")).Status);
        (HttpStatusCode held, string problem) = await SendAsync(HttpMethod.Post, $"/v1/audit/subjects/{Alice}/erasure", _officer, """{"reason":"x"}""");
        Assert.Equal(HttpStatusCode.Conflict, held);
        Assert.Contains("case-alice", problem, StringComparison.Ordinal);
        Assert.Empty(await _host.Log.GetByActionAsync(ActivitySubjectKeys.ErasedAction));
    }
}
