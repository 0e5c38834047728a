using System.Net;
using System.Text.Json;
using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

/// <summary>The tamper-evidence routes on a real Kestrel host: the newest checkpoint, inclusion and consistency proofs a client checks itself.</summary>
public sealed class ProofApiTests : IAsyncLifetime
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-proofs-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityCheckpointKey _key = ActivityCheckpointKey.Create("api-test", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    private readonly InMemoryActivityLogRepo _log = new();
    private readonly string _auditor = ApiHost.Token(Guid.NewGuid(), "audit:read");
    private ApiHost _host = null!;

    public async Task InitializeAsync() => _host = await ApiHost.StartAsync(services => services.AddActivityLog(log => log.UseInMemory(_log).UseTamperEvidence(o =>
    {
        o.Sink = new FileActivityCheckpointSink(_folder);
        o.Key = _key;
        o.PollInterval = TimeSpan.FromHours(1); // the test checkpoints when it wants
        o.Interval = TimeSpan.FromHours(1);
    })));

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<List<ActivityRecord>> AppendAsync(int count)
    {
        var records = new List<ActivityRecord>();
        for (int i = 0; i < count; i++)
        {
            records.Add((await _host.Log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")))).Record!);
        }

        return records;
    }

    private Task<ActivityCheckpoint?> CheckpointAsync() => _host.Services.GetRequiredService<ActivityCheckpointer>().CheckpointAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token = null)
    {
        using HttpResponseMessage response = await _host.GetAsync(path, token ?? _auditor);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static ActivityCheckpoint Checkpoint(JsonElement json) => ActivityCheckpoint.FromNote(
        SignedNote.Parse(json.GetProperty("note").GetString()!), json.GetProperty("issuedAt").GetDateTimeOffset(), json.GetProperty("keyId").GetString()!);

    private static byte[][] Proof(JsonElement json) => [.. json.GetProperty("proof").EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!))];

    [Fact]
    public async Task The_latest_checkpoint_is_served_as_the_checkpoint_note_to_a_client_that_asks_for_text_plain()
    {
        await AppendAsync(4);
        await CheckpointAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/audit/checkpoints/latest");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _auditor);
        request.Headers.Accept.ParseAdd("text/plain");
        using HttpResponseMessage response = await _host.Client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        SignedNote note = SignedNote.Parse(text);
        (string origin, long size, _) = ActivityCheckpoint.ParseBody(note.Text);
        Assert.Equal(4, size);
        Assert.Single(note.Check([_key.NoteVerifier(origin)]).Verified);
        (HttpStatusCode status, JsonElement json) = await GetAsync("/v1/audit/checkpoints/latest"); // no Accept: JSON, as before
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(text, json.GetProperty("note").GetString());
        Assert.Equal(origin, json.GetProperty("origin").GetString());
    }

    [Fact]
    public async Task A_client_checks_the_signed_checkpoint_and_a_records_inclusion_itself()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync("/v1/audit/checkpoints/latest")).Status); // nothing checkpointed yet
        List<ActivityRecord> records = await AppendAsync(10);
        await CheckpointAsync();
        records.AddRange(await AppendAsync(5));
        await CheckpointAsync();

        (HttpStatusCode status, JsonElement latest) = await GetAsync("/v1/audit/checkpoints/latest");
        Assert.Equal(HttpStatusCode.OK, status);
        ActivityCheckpoint checkpoint = Checkpoint(latest);
        Assert.Equal(15, checkpoint.TreeSize);
        Assert.True(checkpoint.IsSignedBy(_key.PublicKey()));

        ActivityRecord seventh = records[6];
        (status, JsonElement proof) = await GetAsync($"/v1/audit/records/{seventh.RecordId}/proof");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(seventh.Sequence, proof.GetProperty("sequence").GetInt64());
        Assert.True(MerkleTree.VerifyInclusion(proof.GetProperty("leafIndex").GetInt64(), checkpoint.TreeSize,
            ActivityRecordEncoding.LeafHash(seventh), Proof(proof), checkpoint.RootHash));
        Assert.False(MerkleTree.VerifyInclusion(proof.GetProperty("leafIndex").GetInt64(), checkpoint.TreeSize,
            ActivityRecordEncoding.LeafHash(records[7]), Proof(proof), checkpoint.RootHash)); // not another record
    }

    [Fact]
    public async Task A_consistency_proof_shows_the_older_checkpoint_is_a_prefix_of_the_newer()
    {
        await AppendAsync(10);
        await CheckpointAsync();
        await AppendAsync(7);
        await CheckpointAsync();

        (HttpStatusCode status, JsonElement body) = await GetAsync("/v1/audit/checkpoints/consistency?from=10&to=17");
        Assert.Equal(HttpStatusCode.OK, status);
        ActivityCheckpoint from = Checkpoint(body.GetProperty("from"));
        ActivityCheckpoint to = Checkpoint(body.GetProperty("to"));
        Assert.True(from.IsSignedBy(_key.PublicKey()) && to.IsSignedBy(_key.PublicKey()));
        Assert.True(MerkleTree.VerifyConsistency(from.TreeSize, to.TreeSize, from.RootHash, to.RootHash, Proof(body)));
    }

    [Theory]
    [InlineData("/v1/audit/records/not-a-guid/proof", "recordId")]
    [InlineData("/v1/audit/checkpoints/consistency", "from")]
    [InlineData("/v1/audit/checkpoints/consistency?from=10", "to")]
    [InlineData("/v1/audit/checkpoints/consistency?from=11&to=15", "from")]
    [InlineData("/v1/audit/checkpoints/consistency?from=10&to=14", "to")]
    [InlineData("/v1/audit/checkpoints/consistency?from=15&to=10", "from")]
    [InlineData("/v1/audit/checkpoints/consistency?from=-1&to=10", "from")]
    public async Task Bad_parameters_are_400_problems_naming_the_parameter(string path, string parameter)
    {
        await AppendAsync(10);
        await CheckpointAsync();
        await AppendAsync(5);
        await CheckpointAsync();

        (HttpStatusCode status, JsonElement body) = await GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(body.GetProperty("errors").TryGetProperty(parameter, out _), body.GetRawText());
    }

    [Fact]
    public async Task Unknown_and_not_yet_checkpointed_records_are_404_problems_that_say_which()
    {
        await AppendAsync(3);
        await CheckpointAsync();
        ActivityRecord late = (await AppendAsync(1))[0];

        (HttpStatusCode status, JsonElement body) = await GetAsync($"/v1/audit/records/{Guid.NewGuid()}/proof");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Record not found", body.GetProperty("title").GetString());

        (status, body) = await GetAsync($"/v1/audit/records/{late.RecordId}/proof");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Not yet checkpointed", body.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Without_tamper_evidence_the_routes_say_it_is_not_configured()
    {
        await using ApiHost plain = await ApiHost.StartAsync();
        using HttpResponseMessage response = await plain.GetAsync("/v1/audit/checkpoints/latest", _auditor);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("UseTamperEvidence", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Proofs_need_the_read_policy()
    {
        await AppendAsync(1);
        await CheckpointAsync();
        using (HttpResponseMessage anonymous = await _host.GetAsync("/v1/audit/checkpoints/latest", token: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/v1/audit/checkpoints/latest", ApiHost.Token(Alice))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync($"/v1/audit/records/{Guid.NewGuid()}/proof", ApiHost.Token(Alice))).Status);
    }
}
