using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualBasic.FileIO;

namespace AuditGen.AspNetCore.Tests;

/// <summary>Summaries and exports on a real Kestrel host: shapes, filters, authorization, streaming, CSV a parser reads back, names.</summary>
public sealed class ReportApiTests : IAsyncLifetime
{
    private static readonly Guid Alice = Guid.Parse("00000000-0000-4000-8000-00000000a11c");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-4000-8000-000000000b0b");
    private static readonly DateTimeOffset Start = new(2024, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryActivityLogRepo _log = new();
    private readonly List<ActivityRecord> _records = [];
    private readonly string _auditor = ApiHost.Token(Guid.Parse("00000000-0000-4000-8000-0000000a0d17"), "audit:read");
    private ApiHost _host = null!;

    /// <summary>Values a hostile or careless user can put in front of a spreadsheet (entity ids allow no control characters).</summary>
    private static readonly string[] Hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "comma, and \"quotes\"", "plain"];

    /// <summary>Metadata may hold anything a user typed.</summary>
    private static readonly string[] HostileText = [.. Hostile, "\tTab", "line\nbreak", "\rreturn"];

    private sealed class NamesDirectory : IActorDirectory
    {
        public int Calls { get; private set; }

        public ValueTask<IReadOnlyDictionary<Guid, string>> GetDisplayNamesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
        {
            Calls++;
            var names = new Dictionary<Guid, string> { [Alice] = "Alice Liddell", [Bob] = "=Bob" };
            return ValueTask.FromResult<IReadOnlyDictionary<Guid, string>>(names.Where(n => ids.Contains(n.Key)).ToDictionary());
        }
    }

    public async Task InitializeAsync()
    {
        _host = await ApiHost.StartAsync(services => services.AddActivityLog(log => log.UseInMemory(_log)));
        string[] actions = ["create_task", "update_task", "update_task", "complete_task"];
        for (int i = 0; i < 40; i++)
        {
            _records.Add((await _log.AppendAsync(ActivityRecord.Create(i % 4 == 0 ? Bob : Alice, Alice, actions[i % actions.Length],
                new EntityRef("Task", Hostile[i % Hostile.Length]), new Dictionary<string, object?> { ["title"] = HostileText[(i + 3) % HostileText.Length], ["n"] = i },
                Start.AddMinutes(i)))).Record!);
        }
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path, string? token)
    {
        HttpResponseMessage response = await _host.GetAsync(path, token);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Fact]
    public async Task An_actors_summary_counts_per_action_most_first_within_the_window()
    {
        (HttpStatusCode status, string body, _) = await GetAsync($"/v1/audit/actors/{Alice}/summary", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        JsonElement json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(["actorId", "since", "until", "total", "actions"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Alice, json.GetProperty("actorId").GetGuid());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("since").ValueKind);
        List<ActivityRecord> alices = [.. _records.Where(r => r.ActorId == Alice)];
        Assert.Equal(alices.Count, json.GetProperty("total").GetInt64());
        var expected = alices.GroupBy(r => r.Action).Select(g => (g.Key, (long)g.Count())).OrderByDescending(c => c.Item2).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, json.GetProperty("actions").EnumerateArray().Select(a => (a.GetProperty("action").GetString()!, a.GetProperty("count").GetInt64())).ToList());

        (status, body, _) = await GetAsync($"/v1/audit/actors/{Alice}/summary?since=2024-03-01T08:10:00Z&until=2024-03-01T08:20:00Z", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        json = JsonDocument.Parse(body).RootElement;
        Assert.Equal(_records.Count(r => r.ActorId == Alice && r.OccurredAt >= Start.AddMinutes(10) && r.OccurredAt < Start.AddMinutes(20)), json.GetProperty("total").GetInt64());
        Assert.Equal(Start.AddMinutes(10), json.GetProperty("since").GetDateTimeOffset());
    }

    [Fact]
    public async Task An_owner_reads_their_own_summary_and_nobody_elses_without_the_read_policy()
    {
        (HttpStatusCode status, string body, _) = await GetAsync($"/v1/audit/owners/{Alice}/summary", ApiHost.Token(Alice));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(_records.Count, JsonDocument.Parse(body).RootElement.GetProperty("total").GetInt64());
        Assert.Equal(["ownerId", "since", "until", "total", "actions"], JsonDocument.Parse(body).RootElement.EnumerateObject().Select(p => p.Name));

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"/v1/audit/owners/{Alice}/summary", ApiHost.Token(Bob))).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync($"/v1/audit/owners/{Alice}/summary", _auditor)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"/v1/audit/actors/{Alice}/summary", ApiHost.Token(Alice))).Status); // an audit needs the policy
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync($"/v1/audit/actors/{Alice}/summary", null)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/v1/audit/export", null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/v1/audit/export", ApiHost.Token(Alice))).Status);
    }

    [Theory]
    [InlineData("/v1/audit/actors/nope/summary", "actorId")]
    [InlineData("/v1/audit/actors/00000000-0000-0000-0000-000000000000/summary", "actorId")]
    [InlineData("/v1/audit/actors/00000000-0000-4000-8000-00000000a11c/summary?since=yesterday", "since")]
    [InlineData("/v1/audit/owners/00000000-0000-4000-8000-00000000a11c/summary?since=2024-03-02T00:00:00Z&until=2024-03-01T00:00:00Z", "since")]
    [InlineData("/v1/audit/export?format=xlsx", "format")]
    [InlineData("/v1/audit/export?actorId=42", "actorId")]
    [InlineData("/v1/audit/export?entityType=Task", "entityId")]
    [InlineData("/v1/audit/export?action=Create%20Task", "action")]
    [InlineData("/v1/audit/export?until=2024-03-01T08:00:00", "until")]
    public async Task Bad_filters_are_400_problems_naming_the_parameter(string path, string parameter)
    {
        (HttpStatusCode status, string body, _) = await GetAsync(path, _auditor);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(parameter, out _), body);
    }

    [Fact]
    public async Task An_ndjson_export_is_an_attachment_one_item_per_line_in_sequence_order_with_the_filters_applied()
    {
        (HttpStatusCode status, string body, HttpResponseMessage response) = await GetAsync("/v1/audit/export?format=ndjson", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Matches("^\"?audit-export-\\d{8}T\\d{6}Z\\.ndjson\"?$", response.Content.Headers.ContentDisposition?.FileName);
        string[] lines = body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(_records.Select(r => r.RecordId), lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetGuid()));

        (_, body, _) = await GetAsync($"/v1/audit/export?actorId={Bob}&action=update_task", _auditor);
        Assert.Equal(_records.Where(r => r.ActorId == Bob && r.Action == "update_task").Select(r => r.RecordId),
            body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetGuid()));

        (_, body, _) = await GetAsync($"/v1/audit/export?entityType=Task&entityId={Uri.EscapeDataString(Hostile[0])}&since=2024-03-01T08:05:00Z", _auditor);
        Assert.Equal(_records.Where(r => r.EntityRef.EntityId == Hostile[0] && r.OccurredAt >= Start.AddMinutes(5)).Select(r => r.RecordId),
            body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task A_csv_export_round_trips_through_a_csv_parser_and_no_cell_starts_like_a_formula()
    {
        (HttpStatusCode status, string body, HttpResponseMessage response) = await GetAsync("/v1/audit/export?format=csv", _auditor);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);

        using var parser = new TextFieldParser(new StringReader(body)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true, TrimWhiteSpace = false };
        parser.SetDelimiters(",");
        string[] header = parser.ReadFields()!;
        Assert.Equal(["sequence", "id", "when", "action", "entityType", "entityId", "actor", "actorName", "owner", "ownerName", "traceId", "spanId", "details", "changes"], header);
        var rows = new List<string[]>();
        while (!parser.EndOfData)
        {
            rows.Add(parser.ReadFields()!);
        }

        Assert.Equal(_records.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            ActivityRecord record = _records[i];
            string[] row = rows[i];
            Assert.Equal(record.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), row[0]);
            Assert.Equal(record.RecordId, Guid.Parse(row[1]));
            Assert.Equal(record.OccurredAt, DateTimeOffset.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture));

            // A value that starts like a formula comes back with one leading apostrophe; every other value unchanged.
            string entityId = record.EntityRef.EntityId;
            Assert.Equal(entityId[0] is '=' or '+' or '-' or '@' or '\t' ? "'" + entityId : entityId, row[5]);
            JsonElement details = JsonDocument.Parse(row[12]).RootElement;
            Assert.Equal(record.Metadata["title"], details.GetProperty("title").GetString());
            Assert.Equal((int)record.Metadata["n"]!, details.GetProperty("n").GetInt32());
            Assert.All(row, cell => Assert.False(cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r', $"cell '{cell}' starts like a formula"));
        }
    }

    [Fact]
    public async Task An_export_streams_the_first_page_before_it_reads_the_next()
    {
        var gate = new GatedStore(new InMemoryActivityLogRepo());
        for (int i = 0; i < 1_500; i++)
        {
            await gate.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")));
        }

        await using ApiHost host = await ApiHost.StartAsync(services => services.AddActivityLog(log => log.UseStore(gate)));
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/audit/export");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _auditor);
        using HttpResponseMessage response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        // The server holds the second page back until the client has the whole first one: a buffering server never sends it.
        int lines = 0;
        while (lines < 1_000 && await reader.ReadLineAsync(deadline.Token) is not null)
        {
            lines++;
        }

        Assert.Equal(1_000, lines);
        Assert.Equal(1, gate.Answered); // the second page is not read yet: the first went out on its own
        gate.Release();
        while (await reader.ReadLineAsync(deadline.Token) is not null)
        {
            lines++;
        }

        Assert.Equal(1_500, lines);
    }

    /// <summary>Answers the first page at once and every later page only after <see cref="Release"/>.</summary>
    private sealed class GatedStore(InMemoryActivityLogRepo inner) : IActivityLogRepo
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private int _asked;

        /// <summary>Pages answered so far.</summary>
        public int Answered { get; private set; }

        public void Release() => _released.SetResult();

        public ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default) => inner.AppendAsync(record, cancellationToken);

        public async ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _asked) > 1)
            {
                await _released.Task.WaitAsync(cancellationToken);
            }

            ActivityPage page = await inner.QueryAsync(query, cancellationToken);
            Answered++;
            return page;
        }
    }

    [Fact]
    public async Task With_an_actor_directory_items_and_exports_carry_names_looked_up_once_per_page()
    {
        var directory = new NamesDirectory();
        await using ApiHost host = await ApiHost.StartAsync(services => services
            .AddActivityLog(log => log.UseInMemory(_log))
            .AddSingleton<IActorDirectory>(directory));

        using HttpResponseMessage page = await host.GetAsync($"/v1/audit/owners/{Alice}/activities?limit=10", _auditor);
        JsonElement[] items = [.. JsonDocument.Parse(await page.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()];
        Assert.All(items, item =>
        {
            Assert.Equal(item.GetProperty("actor").GetGuid() == Alice ? "Alice Liddell" : "=Bob", item.GetProperty("actorName").GetString());
            Assert.Equal("Alice Liddell", item.GetProperty("ownerName").GetString());
        });
        Assert.Equal(1, directory.Calls);

        using HttpResponseMessage csv = await host.GetAsync("/v1/audit/export?format=csv", _auditor);
        string body = await csv.Content.ReadAsStringAsync();
        Assert.Contains(",\"'=Bob\",", body); // a name is a value like any other: escaped
        Assert.Contains(",Alice Liddell,", body);
    }
}
