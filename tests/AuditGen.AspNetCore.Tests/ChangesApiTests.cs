using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualBasic.FileIO;

namespace AuditGen.AspNetCore.Tests;

/// <summary>
/// Field-level changes over HTTP on a real Kestrel host and a real SQLite file: on every item, in NDJSON and CSV exports,
/// and an entity's state at a point in time with the history's access rule.
/// </summary>
public sealed class ChangesApiTests : IAsyncLifetime
{
    private static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");
    private static readonly DateTimeOffset Start = new(2024, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly EntityRef Task7 = new("Task", "7");
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"auditgen-changes-api-{Guid.NewGuid():N}.db");
    private readonly string _auditor = ApiHost.Token(Guid.Parse("00000000-0000-4000-8000-0000000a0d17"), "audit:read");
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ApiHost.StartAsync(services => services.AddActivityLog(log => log.UseSqlite($"Data Source={_file}")));
        await AppendAsync(Alice, 1, new EntityChange(Task7, EntityChangeKind.Added,
            [new PropertyChange("Title", null, "=Draft, \"quoted\""), new PropertyChange("Done", null, false), PropertyChange.WithheldChange("PasswordHash")]));
        await AppendAsync(Alice, 2, new EntityChange(Task7, EntityChangeKind.Modified,
            [new PropertyChange("Title", "=Draft, \"quoted\"", "Ship it"), new PropertyChange("Tags", new object?[] { "a" }, new object?[] { "a", 2 })]));
        await AppendAsync(Bob, 3, new EntityChange(Task7, EntityChangeKind.Modified, [new PropertyChange("Done", false, true)]));
        await AppendAsync(Alice, 4);
    }

    private async Task AppendAsync(Guid owner, int minute, params EntityChange[] changes) =>
        Assert.True((await _host.Log.AppendAsync(ActivityRecord.Create(owner, owner, "update_task", Task7, occurredAt: Start.AddMinutes(minute)) with { Changes = changes })).IsAppended);

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(_file)!, Path.GetFileName(_file) + "*"))
        {
            File.Delete(file);
        }
    }

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(string path, string? token)
    {
        using HttpResponseMessage response = await _host.GetAsync(path, token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_item_carries_its_changes_in_the_documented_shape_and_an_empty_list_without_them()
    {
        (HttpStatusCode status, string body) = await GetAsync("/v1/audit/entities/Task/7/activities?order=oldest", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement[] items = [.. JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray()];
        Assert.Equal(4, items.Length);

        JsonElement added = Assert.Single(items[0].GetProperty("changes").EnumerateArray());
        Assert.Equal("Task#7", added.GetProperty("entity").GetString());
        Assert.Equal("added", added.GetProperty("kind").GetString());
        Assert.Equal(
            """[{"name":"Done","new":false},{"name":"PasswordHash","withheld":true},{"name":"Title","new":"=Draft, \u0022quoted\u0022"}]""",
            added.GetProperty("properties").GetRawText());

        JsonElement modified = Assert.Single(items[1].GetProperty("changes").EnumerateArray());
        Assert.Equal("modified", modified.GetProperty("kind").GetString());
        Assert.Equal("""[{"name":"Tags","old":["a"],"new":["a",2]},{"name":"Title","old":"=Draft, \u0022quoted\u0022","new":"Ship it"}]""",
            modified.GetProperty("properties").GetRawText());
        Assert.Equal(JsonValueKind.Array, items[3].GetProperty("changes").ValueKind);
        Assert.Empty(items[3].GetProperty("changes").EnumerateArray());
    }

    [Fact]
    public async Task Exports_carry_the_changes_as_ndjson_items_and_as_a_csv_column_a_parser_reads_back()
    {
        (HttpStatusCode status, string ndjson) = await GetAsync("/v1/audit/export?format=ndjson&entityType=Task&entityId=7", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        string[] lines = ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Equal("Ship it", JsonDocument.Parse(lines[1]).RootElement.GetProperty("changes")[0].GetProperty("properties")[1].GetProperty("new").GetString());

        (status, string csv) = await GetAsync("/v1/audit/export?format=csv&entityType=Task&entityId=7", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        using var parser = new TextFieldParser(new StringReader(csv)) { HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        string[] header = parser.ReadFields()!;
        int column = Array.IndexOf(header, "changes");
        Assert.Equal(header.Length - 1, column);
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        Assert.Equal(4, rows.Count);
        JsonElement first = JsonDocument.Parse(rows[0][column]).RootElement;
        Assert.Equal("=Draft, \"quoted\"", first[0].GetProperty("properties")[2].GetProperty("new").GetString());
        Assert.Equal("", rows[3][column]); // no changes: an empty cell
    }

    [Fact]
    public async Task The_state_route_rebuilds_the_entity_at_a_time_with_the_historys_access_rule()
    {
        (HttpStatusCode status, string body) = await GetAsync("/v1/audit/entities/Task/7/state?at=2024-05-01T08:02:00Z", _auditor);
        Assert.True(status == HttpStatusCode.OK, body);
        JsonElement state = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Task#7", state.GetProperty("entity").GetString());
        Assert.True(state.GetProperty("isComplete").GetBoolean());
        Assert.False(state.GetProperty("isDeleted").GetBoolean());
        Assert.Equal("""{"Done":false,"Tags":["a",2],"Title":"Ship it"}""", state.GetProperty("properties").GetRawText());
        Assert.Equal("""["PasswordHash"]""", state.GetProperty("withheld").GetRawText());
        Assert.Equal(2, state.GetProperty("asOfSequence").GetInt64());

        (status, body) = await GetAsync("/v1/audit/entities/Task/7/state", _auditor); // now: Bob's change too
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("properties").GetProperty("Done").GetBoolean());

        // Without the read policy, Alice sees the state her own records give; Bob's change to her task is not hers to read.
        (status, body) = await GetAsync("/v1/audit/entities/Task/7/state", ApiHost.Token(Alice));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(JsonDocument.Parse(body).RootElement.GetProperty("properties").GetProperty("Done").GetBoolean());

        (status, _) = await GetAsync("/v1/audit/entities/Task/7/state?at=2024-05-01T08:00:00Z", _auditor);
        Assert.Equal(HttpStatusCode.NotFound, status);
        (status, _) = await GetAsync("/v1/audit/entities/Task/7/state", ApiHost.Token(Guid.Parse("00000000-0000-4000-8000-0000000000ee")));
        Assert.Equal(HttpStatusCode.NotFound, status); // a stranger learns nothing, not even that records exist
        (status, _) = await GetAsync("/v1/audit/entities/Task/7/state", null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("/v1/audit/entities/Task/7/state?at=yesterday", "at")]
    [InlineData("/v1/audit/entities/Task/7/state?at=2024-05-01T08:02:00", "at")]
    [InlineData("/v1/audit/entities/Ta%0Ask/7/state", "entityType")]
    public async Task A_careless_state_request_is_a_400_naming_the_parameter(string path, string parameter)
    {
        (HttpStatusCode status, string body) = await GetAsync(path, _auditor);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(parameter, out _), body);
    }
}
