using System.ComponentModel;
using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore;

/// <summary>The tamper-evidence routes of the read API: the newest checkpoint, a record's inclusion proof, consistency between checkpoints.</summary>
internal static class ActivityLogProofEndpoints
{
    public static void Map(RouteGroupBuilder group, string readPolicy)
    {
        group.MapGet("/checkpoints/latest", GetLatestCheckpointAsync)
            .WithName("GetLatestCheckpoint")
            .WithSummary("The newest signed checkpoint")
            .WithDescription("The Merkle root of the log's first treeSize records, signed: JSON, or with Accept: text/plain the C2SP checkpoint note itself as text (the JSON's note field: origin, size, root, the log's signature and the witnesses' cosignatures). 404 when tamper evidence is off or nothing is checkpointed yet. Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<ActivityCheckpointResponse>(StatusCodes.Status200OK, "application/json", "text/plain") // text/plain: the note's text, not this object
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapGet("/records/{recordId}/proof", GetRecordProofAsync)
            .WithName("GetRecordProof")
            .WithSummary("A record's inclusion proof")
            .WithDescription("Proves the record is in the newest checkpoint's Merkle tree. 404 when the record does not exist or no checkpoint covers it yet. Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<ActivityInclusionProofResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapGet("/checkpoints/consistency", GetConsistencyProofAsync)
            .WithName("GetConsistencyProof")
            .WithSummary("A consistency proof between two checkpoints")
            .WithDescription("Proves the tree of checkpoint size 'from' is a prefix of the tree of size 'to': nothing before it changed. Both are checkpoint tree sizes. Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<ActivityConsistencyProofResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotOn() =>
        TypedResults.Problem("Tamper evidence is not configured for this log (UseTamperEvidence).", statusCode: StatusCodes.Status404NotFound, title: "No checkpoints");

    private static async Task<IResult> GetLatestCheckpointAsync(HttpContext http, IServiceProvider services)
    {
        if (services.GetService<ActivityLogProofs>() is not { } proofs)
        {
            return NotOn();
        }

        ActivityCheckpoint? latest = await proofs.LatestCheckpointAsync(http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Vary = "Accept";
        if (latest is null)
        {
            return TypedResults.Problem("No checkpoint has been written yet.", statusCode: StatusCodes.Status404NotFound, title: "No checkpoints");
        }

        if (!WantsNote(http.Request))
        {
            return TypedResults.Json(ActivityCheckpointResponse.From(latest), ActivityLogApiJsonContext.Default.ActivityCheckpointResponse);
        }

        return latest.Note is { } note
            ? TypedResults.Text(note.ToString(), "text/plain; charset=utf-8")
            : TypedResults.Problem("The newest checkpoint predates checkpoint notes (v1): ask for application/json.", statusCode: StatusCodes.Status406NotAcceptable, title: "No checkpoint note");
    }

    /// <summary>Whether the client prefers <c>text/plain</c> (the checkpoint note) to JSON: an Accept header that ranks it higher.</summary>
    private static bool WantsNote(HttpRequest request)
    {
        double text = 0;
        double json = 0;
        foreach (Microsoft.Net.Http.Headers.MediaTypeHeaderValue type in request.GetTypedHeaders().Accept)
        {
            double quality = type.Quality ?? 1;
            if (type.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
            {
                text = Math.Max(text, quality);
            }
            else if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("*/*", StringComparison.Ordinal))
            {
                json = Math.Max(json, quality);
            }
        }

        return text > json;
    }

    private static async Task<IResult> GetRecordProofAsync(
        [Description("The record's id (a GUID).")] string recordId, HttpContext http, IServiceProvider services, IActivityLogRepo log)
    {
        if (!Guid.TryParse(recordId, out Guid id))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["recordId"] = ["recordId must be a GUID."] },
                title: "One or more route parameters are invalid.");
        }

        if (services.GetService<ActivityLogProofs>() is not { } proofs)
        {
            return NotOn();
        }

        IActivityLogRepo store = (log as ActivityLog)?.Store ?? log;
        if (store is not IActivityRecordLookup lookup)
        {
            return TypedResults.Problem($"The log's store ({store.GetType().Name}) cannot find records by id.", statusCode: StatusCodes.Status404NotFound, title: "No lookup");
        }

        http.Response.Headers.CacheControl = "no-store";
        if (await lookup.FindAsync(id, http.RequestAborted) is not { } record)
        {
            return TypedResults.Problem($"No record has id {id}.", statusCode: StatusCodes.Status404NotFound, title: "Record not found");
        }

        if (await proofs.InclusionProofAsync(record.Sequence, http.RequestAborted) is not { } proof)
        {
            return TypedResults.Problem($"Record {id} (sequence {record.Sequence}) is not covered by a checkpoint yet; try again after the next one.",
                statusCode: StatusCodes.Status404NotFound, title: "Not yet checkpointed");
        }

        return TypedResults.Json(new ActivityInclusionProofResponse(id, proof.Sequence, proof.LeafIndex, Convert.ToBase64String(proof.LeafHash),
            [.. proof.Path.Select(Convert.ToBase64String)], ActivityCheckpointResponse.From(proof.Checkpoint)), ActivityLogApiJsonContext.Default.ActivityInclusionProofResponse);
    }

    private static async Task<IResult> GetConsistencyProofAsync(
        [Description("The tree size of the older checkpoint (at least 1).")] long? from,
        [Description("The tree size of the newer checkpoint.")] long? to,
        HttpContext http, IServiceProvider services)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is null or < 1)
        {
            errors["from"] = ["from is required: the tree size of the older checkpoint (at least 1)."];
        }

        if (to is null or < 1)
        {
            errors["to"] = ["to is required: the tree size of the newer checkpoint."];
        }
        else if (from is { } f && f > to)
        {
            errors["from"] = ["from must not be above to."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "One or more query parameters are invalid.");
        }

        if (services.GetService<ActivityLogProofs>() is not { } proofs)
        {
            return NotOn();
        }

        try
        {
            ActivityConsistencyProof proof = await proofs.ConsistencyProofAsync(from!.Value, to!.Value, http.RequestAborted);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(new ActivityConsistencyProofResponse(ActivityCheckpointResponse.From(proof.From), ActivityCheckpointResponse.From(proof.To),
                [.. proof.Path.Select(Convert.ToBase64String)]), ActivityLogApiJsonContext.Default.ActivityConsistencyProofResponse);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [ex.ParamName == "toSize" ? "to" : "from"] = [ActivityQueryParameters.Rule(ex)] },
                title: "One or more query parameters are invalid.");
        }
    }
}
