using System.Net;
using System.Text.Json;
using AuditGen.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

/// <summary>The retention routes on a real Kestrel host over a real SQLite file: purges, holds, who may, and what a careless client sends.</summary>
public sealed class RetentionApiTests() : OfficerApiTestBase("retention-api", ["audit:read", "audit:retention"])
{
    private SqliteActivityLogRepo Store => Host.Services.GetRequiredService<SqliteActivityLogRepo>();

    /// <summary>Sends as <see cref="OfficerApiTestBase.SendAsync"/> does, with the answer parsed as JSON (default when empty).</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> SendJsonAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        (HttpStatusCode status, string text) = await SendAsync(method, path, token, json);
        return (status, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task SeedAsync()
    {
        DateTimeOffset old = DateTimeOffset.UtcNow.AddYears(-2);
        await Store.AppendManyAsync([
            ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"), occurredAt: old),
            ActivityRecord.Create(Bob, Bob, "create_task", new EntityRef("Task", "2"), occurredAt: old),
            ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "3")),
        ]);
    }

    [Fact]
    public async Task An_officer_holds_bobs_records_purges_and_the_purge_and_the_hold_are_recorded_as_the_officer()
    {
        await SeedAsync();

        (HttpStatusCode placed, JsonElement hold) = await SendJsonAsync(HttpMethod.Put, "/v1/audit/holds/case-bob", OfficerToken, $$"""{"actorId":"{{Bob}}","reason":"litigation 2026-114"}""");
        (HttpStatusCode listed, JsonElement holds) = await SendJsonAsync(HttpMethod.Get, "/v1/audit/holds", AuditorToken);
        (HttpStatusCode purged, JsonElement result) = await SendJsonAsync(HttpMethod.Post, "/v1/audit/retention/purge", OfficerToken);
        (HttpStatusCode again, JsonElement rerun) = await SendJsonAsync(HttpMethod.Post, "/v1/audit/retention/purge", OfficerToken);

        Assert.Equal(HttpStatusCode.Created, placed);
        Assert.Equal(Bob, hold.GetProperty("actorId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal("case-bob", Assert.Single(holds.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, purged);
        Assert.Equal(1, result.GetProperty("recordsPurged").GetInt64());
        Guid purgeId = Assert.Single(result.GetProperty("purges").EnumerateArray()).GetGuid();
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(0, rerun.GetProperty("recordsPurged").GetInt64());

        IReadOnlyList<ActivityRecord> byOfficer = await Store.GetByActorAsync(Officer);
        Assert.Equal([ActivityRetentionRecords.PurgeAction, ActivityRetentionRecords.HoldPlacedAction], byOfficer.Select(r => r.Action));
        Assert.Equal(purgeId, byOfficer[0].RecordId);
        Assert.Single(await Store.GetByActorAsync(Bob));
        Assert.Single(await Store.GetByActorAsync(Alice));

        (HttpStatusCode released, _) = await SendJsonAsync(HttpMethod.Delete, "/v1/audit/holds/case-bob?reason=case%20closed", OfficerToken);
        (HttpStatusCode releasedAgain, _) = await SendJsonAsync(HttpMethod.Delete, "/v1/audit/holds/case-bob", OfficerToken);
        Assert.Equal(HttpStatusCode.NoContent, released);
        Assert.Equal(HttpStatusCode.NotFound, releasedAgain);
        Assert.Equal("case closed", (await Store.GetByActorAsync(Officer))[0].Metadata["reason"]);
    }

    [Fact]
    public async Task Only_the_retention_policy_changes_anything_and_reading_holds_needs_the_read_policy()
    {
        await SeedAsync();
        string alice = ApiHost.Token(Alice);

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendJsonAsync(HttpMethod.Post, "/v1/audit/retention/purge", token: null)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(HttpMethod.Post, "/v1/audit/retention/purge", AuditorToken)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(HttpMethod.Put, "/v1/audit/holds/x", AuditorToken, $$"""{"actorId":"{{Bob}}","reason":"r"}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(HttpMethod.Delete, "/v1/audit/holds/x", alice)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendJsonAsync(HttpMethod.Get, "/v1/audit/holds", alice)).Status);
        Assert.Equal(3, (await Store.GetByActorAsync(Alice)).Count + (await Store.GetByActorAsync(Bob)).Count);
    }

    [Theory]
    [InlineData("{}", "actorId")]
    [InlineData("""{"actorId":"0b0e4c1e-0000-4000-8000-000000000b0b","ownerId":"0b0e4c1e-0000-4000-8000-000000000b0b","reason":"r"}""", "actorId")]
    [InlineData("""{"entityType":"Task","reason":"r"}""", "entityId")]
    [InlineData("""{"actorId":"0b0e4c1e-0000-4000-8000-000000000b0b"}""", "reason")]
    [InlineData("""{"actorId":"00000000-0000-0000-0000-000000000000","reason":"r"}""", "actorId")]
    [InlineData("""{"actorId":"not-a-guid","reason":"r"}""", "body")]
    [InlineData("""[1,2]""", "body")]
    [InlineData("""{"ownerId":"0b0e4c1e-0000-4000-8000-000000000b0b","reason":"r"}""", "name", "Case 1")]
    public async Task A_careless_hold_gets_a_400_naming_the_field_and_places_nothing(string body, string field, string name = "case-1")
    {
        (HttpStatusCode status, JsonElement problem) = await SendJsonAsync(HttpMethod.Put, $"/v1/audit/holds/{Uri.EscapeDataString(name)}", OfficerToken, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty(await Host.Services.GetRequiredService<ActivityLogRetention>().ListHoldsAsync());
    }

    [Fact]
    public async Task A_second_hold_of_the_same_name_is_a_409_and_the_first_stays()
    {
        Assert.Equal(HttpStatusCode.Created, (await SendJsonAsync(HttpMethod.Put, "/v1/audit/holds/case-1", OfficerToken, $$"""{"entityType":"Task","entityId":"9","reason":"dispute"}""")).Status);
        (HttpStatusCode status, _) = await SendJsonAsync(HttpMethod.Put, "/v1/audit/holds/case-1", OfficerToken, $$"""{"actorId":"{{Bob}}","reason":"other"}""");

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(new EntityRef("Task", "9"), Assert.Single(await Host.Services.GetRequiredService<ActivityLogRetention>().ListHoldsAsync()).Entity);
    }

    [Fact]
    public async Task Without_UseRetention_the_routes_answer_404()
    {
        await using ApiHost plain = await ApiHost.StartAsync();
        using HttpResponseMessage response = await plain.SendAsync(HttpMethod.Post, "/v1/audit/retention/purge", OfficerToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
