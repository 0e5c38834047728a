using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AuditGen.AspNetCore.Tests;

/// <summary>
/// The checked-in docs/openapi/v1.json is the published contract; the live document must equal it. After an
/// intended change run the tests with UPDATE_SNAPSHOTS=1 and review the diff.
/// </summary>
public sealed class OpenApiDocumentTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    private static readonly string CheckedInPath = typeof(OpenApiDocumentTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OpenApiDocument").Value!;

    private async Task<JsonNode> LiveDocumentAsync()
    {
        using HttpResponseMessage response = await fixture.Host.Client.GetAsync("/openapi/v1.json");
        response.EnsureSuccessStatusCode();
        JsonNode document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // The only part that depends on the host: the server's random port.
        document.AsObject().Remove("servers");
        return document;
    }

    [Fact]
    public async Task Live_document_equals_the_checked_in_copy()
    {
        JsonNode live = await LiveDocumentAsync();
        string liveText = live.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

        if (Environment.GetEnvironmentVariable("UPDATE_SNAPSHOTS") == "1")
        {
            await File.WriteAllTextAsync(CheckedInPath, liveText);
        }

        Assert.True(File.Exists(CheckedInPath), $"{CheckedInPath} is missing; run the tests with UPDATE_SNAPSHOTS=1 to write it.");
        JsonNode checkedIn = JsonNode.Parse(await File.ReadAllTextAsync(CheckedInPath))!;
        Assert.True(JsonNode.DeepEquals(checkedIn, live),
            $"The live OpenAPI document differs from {CheckedInPath}. If the change is intended, run with UPDATE_SNAPSHOTS=1 and commit it. Live:\n{liveText}");
    }

    [Fact]
    public async Task Document_describes_every_route_parameter_response_and_error()
    {
        JsonNode document = await LiveDocumentAsync();
        JsonObject paths = document["paths"]!.AsObject();

        Assert.Equal(
            [
                "/v1/audit/actions",
                "/v1/audit/actions/{action}/activities",
                "/v1/audit/actors/{actorId}/activities",
                "/v1/audit/actors/{actorId}/summary",
                "/v1/audit/checkpoints/consistency",
                "/v1/audit/checkpoints/latest",
                "/v1/audit/entities/{entityType}/{entityId}/activities",
                "/v1/audit/entities/{entityType}/{entityId}/state",
                "/v1/audit/export",
                "/v1/audit/holds",
                "/v1/audit/holds/{name}",
                "/v1/audit/owners/{ownerId}/activities",
                "/v1/audit/owners/{ownerId}/summary",
                "/v1/audit/records/{recordId}/proof",
                "/v1/audit/retention/purge",
                "/v1/audit/subjects/{subjectId}/erasure",
                "/v1/audit/subjects/{subjectId}/export",
            ],
            paths.Select(p => p.Key).Order(StringComparer.Ordinal));

        foreach ((string path, JsonNode? item) in paths)
        {
            if (path.StartsWith("/v1/audit/holds", StringComparison.Ordinal) || path.StartsWith("/v1/audit/retention/", StringComparison.Ordinal))
            {
                continue; // the retention routes, below
            }

            if (path == "/v1/audit/subjects/{subjectId}/erasure")
            {
                Assert.Equal(["200", "400", "401", "403", "404", "409"], item!["post"]!["responses"]!.AsObject().Select(r => r.Key).Order());
                Assert.NotNull(item["post"]!["requestBody"]);
                continue;
            }

            if (path == "/v1/audit/subjects/{subjectId}/export")
            {
                Assert.Equal(["200", "400", "401", "403", "404"], item!["get"]!["responses"]!.AsObject().Select(r => r.Key).Order());
                Assert.NotNull(item["get"]!["responses"]!["200"]!["content"]!["application/x-ndjson"]);
                continue;
            }

            JsonNode get = item!["get"]!;
            Assert.False(string.IsNullOrEmpty(get["summary"]?.GetValue<string>()), path);
            JsonObject responses = get["responses"]!.AsObject();
            Assert.Contains("200", responses.Select(r => r.Key));
            Assert.Contains("401", responses.Select(r => r.Key));
            if (path == "/v1/audit/actions")
            {
                continue;
            }

            if (path.EndsWith("/summary", StringComparison.Ordinal) || path.EndsWith("/export", StringComparison.Ordinal))
            {
                Assert.Equal(["200", "400", "401", "403"], responses.Select(r => r.Key).Order());
                JsonArray filters = get["parameters"]!.AsArray();
                Assert.All(filters, p => Assert.False(string.IsNullOrEmpty(p!["description"]?.GetValue<string>()), p!.ToJsonString()));
                Assert.Contains("since", filters.Select(p => p!["name"]!.GetValue<string>()));
                continue;
            }

            if (path.EndsWith("/state", StringComparison.Ordinal))
            {
                Assert.Equal(["200", "400", "401", "403", "404"], responses.Select(r => r.Key).Order());
                Assert.All(get["parameters"]!.AsArray(), p => Assert.False(string.IsNullOrEmpty(p!["description"]?.GetValue<string>()), p!.ToJsonString()));
                Assert.Contains("at", get["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
                continue;
            }

            if (path.Contains("/checkpoints/", StringComparison.Ordinal) || path.EndsWith("/proof", StringComparison.Ordinal))
            {
                Assert.Superset(new HashSet<string> { "200", "401", "403", "404" }, responses.Select(r => r.Key).ToHashSet());
                Assert.NotNull(responses["404"]!["content"]!["application/problem+json"]);
                continue;
            }

            Assert.Equal(["200", "400", "401", "403"], responses.Select(r => r.Key).Order());
            Assert.NotNull(responses["400"]!["content"]!["application/problem+json"]);
            JsonArray parameters = get["parameters"]!.AsArray();
            Dictionary<string, JsonNode> byName = parameters.ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!);
            Assert.Superset(new HashSet<string> { "limit", "cursor", "order", "since", "until" }, byName.Keys.ToHashSet());
            Assert.All(byName.Values, p => Assert.False(string.IsNullOrEmpty(p["description"]?.GetValue<string>()), p.ToJsonString()));
            Assert.Equal("integer", byName["limit"]["schema"]!["type"]!.ToString());
            Assert.Equal(1000, byName["limit"]["schema"]!["maximum"]!.GetValue<int>());
            Assert.Equal("date-time", byName["since"]["schema"]!["format"]!.ToString());
            Assert.Equal(["newest", "oldest"], byName["order"]["schema"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()));
        }

        JsonObject schemas = document["components"]!["schemas"]!.AsObject();
        JsonObject itemProperties = schemas["ActivityItemResponse"]!["properties"]!.AsObject();
        Assert.Equal(["id", "action", "entity", "actor", "owner", "when", "details", "traceId", "spanId", "actorName", "ownerName", "changes"], itemProperties.Select(p => p.Key));
        Assert.Equal(["items", "nextCursor"], schemas["ActivityPageResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Contains("HttpValidationProblemDetails", schemas.Select(s => s.Key));
        Assert.Equal(["treeSize", "rootHash", "issuedAt", "keyId", "signature", "origin", "note"], schemas["ActivityCheckpointResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["recordId", "sequence", "leafIndex", "leafHash", "proof", "checkpoint"], schemas["ActivityInclusionProofResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["from", "to", "proof"], schemas["ActivityConsistencyProofResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["actorId", "since", "until", "total", "actions"], schemas["ActorSummaryResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["action", "count"], schemas["ActivityActionCountResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        static string[] Codes(JsonNode operation) => [.. operation["responses"]!.AsObject().Select(r => r.Key).Order(StringComparer.Ordinal)];
        Assert.Equal(["200", "401", "403", "404", "409"], Codes(paths["/v1/audit/retention/purge"]!["post"]!));
        Assert.Equal(["200", "401", "403", "404"], Codes(paths["/v1/audit/holds"]!["get"]!));
        JsonNode place = paths["/v1/audit/holds/{name}"]!["put"]!;
        Assert.Equal(["201", "400", "401", "403", "404", "409"], Codes(place));
        Assert.NotNull(place["requestBody"]!["content"]!["application/json"]);
        Assert.False(string.IsNullOrEmpty(place["parameters"]![0]!["description"]?.GetValue<string>()));
        Assert.Equal(["204", "401", "403", "404"], Codes(paths["/v1/audit/holds/{name}"]!["delete"]!));
        Assert.Equal(["actorId", "ownerId", "entityType", "entityId", "reason"], schemas["ActivityLegalHoldRequest"]!["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["recordsPurged", "partitionsDropped", "purges"], schemas["ActivityPurgeResponse"]!["properties"]!.AsObject().Select(p => p.Key));
        JsonObject export = paths["/v1/audit/export"]!["get"]!["responses"]!["200"]!["content"]!.AsObject();
        Assert.Equal(["application/x-ndjson", "text/csv"], export.Select(c => c.Key).Order(StringComparer.Ordinal));
    }
}
