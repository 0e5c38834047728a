using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuditGen.AspNetCore;

/// <summary>
/// The retention routes of the API: run a purge, and list, place and release legal holds. Each change is recorded in the
/// log with the signed-in user as its actor. 404 when the application did not call <c>UseRetention</c>.
/// </summary>
internal static class ActivityLogRetentionEndpoints
{
    public static void Map(RouteGroupBuilder group, string readPolicy, string retentionPolicy)
    {
        group.MapPost("/retention/purge", PurgeAsync)
            .WithName("PurgeExpiredActivities")
            .WithSummary("Run a retention purge")
            .WithDescription("Removes every record the retention policy no longer keeps, never one under a legal hold; each purge is recorded in the log (auditgen.retention.purge) with the caller as its actor. Running it again removes nothing more. Requires the retention policy.")
            .RequireAuthorization(retentionPolicy)
            .Produces<ActivityPurgeResponse>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapGet("/holds", ListHoldsAsync)
            .WithName("GetLegalHolds")
            .WithSummary("The legal holds in place")
            .WithDescription("Every legal hold, by name. Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<ActivityLegalHoldResponse[]>(contentType: "application/json")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapPut("/holds/{name}", PlaceHoldAsync)
            .WithName("PlaceLegalHold")
            .WithSummary("Place a legal hold")
            .WithDescription("Keeps every record of one actor, one owner or one entity from any purge until released; recorded as auditgen.legal_hold.placed. 409 when a hold of that name is in place. Requires the retention policy.")
            .RequireAuthorization(retentionPolicy)
            .Accepts<ActivityLegalHoldRequest>("application/json")
            .Produces<ActivityLegalHoldResponse>(StatusCodes.Status201Created, "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapDelete("/holds/{name}", ReleaseHoldAsync)
            .WithName("ReleaseLegalHold")
            .WithSummary("Release a legal hold")
            .WithDescription("Releases the hold; recorded as auditgen.legal_hold.released with the optional reason. 404 when no hold of that name is in place. Requires the retention policy.")
            .RequireAuthorization(retentionPolicy)
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);
    }

    private static ProblemHttpResult NotOn() =>
        TypedResults.Problem("Retention is not configured for this log (UseRetention).", statusCode: StatusCodes.Status404NotFound, title: "No retention");

    private static ProblemHttpResult NoUserId() =>
        TypedResults.Problem("The signed-in user has no id claim (a GUID) to record as the actor of this change.", statusCode: StatusCodes.Status403Forbidden, title: "No user id");

    private static async Task<IResult> PurgeAsync(HttpContext http, IServiceProvider services, IOptions<ActivityLogApiOptions> options)
    {
        if (services.GetService<ActivityLogRetention>() is not { } retention)
        {
            return NotOn();
        }

        if (ActivityLogApiAccess.UserId(http.User, options.Value) is not { } actor)
        {
            return NoUserId();
        }

        try
        {
            ActivityPurgeResult result = await retention.PurgeAsync(actor, http.RequestAborted);
            return TypedResults.Json(ActivityPurgeResponse.From(result), ActivityLogApiJsonContext.Default.ActivityPurgeResponse);
        }
        catch (InvalidOperationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "The purge cannot run here");
        }
    }

    private static async Task<IResult> ListHoldsAsync(HttpContext http, IServiceProvider services)
    {
        if (services.GetService<ActivityLogRetention>() is not { } retention)
        {
            return NotOn();
        }

        IReadOnlyList<ActivityLegalHold> holds = await retention.ListHoldsAsync(http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json([.. holds.Select(ActivityLegalHoldResponse.From)], ActivityLogApiJsonContext.Default.ActivityLegalHoldResponseArray);
    }

    private static async Task<IResult> PlaceHoldAsync([Description("The hold's name: 1-100 characters of [a-z0-9_.:-], such as case-2026-114.")] string name,
        HttpContext http, IServiceProvider services, IOptions<ActivityLogApiOptions> options)
    {
        if (services.GetService<ActivityLogRetention>() is not { } retention)
        {
            return NotOn();
        }

        if (ActivityLogApiAccess.UserId(http.User, options.Value) is not { } actor)
        {
            return NoUserId();
        }

        ActivityLegalHoldRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, ActivityLogApiJsonContext.Default.ActivityLegalHoldRequest, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Invalid("body", $"The body must be a JSON object with one of actorId, ownerId or entityType and entityId, and a reason: {ex.Message}");
        }

        if (request is null)
        {
            return Invalid("body", "The body must be a JSON object with one of actorId, ownerId or entityType and entityId, and a reason.");
        }

        int targets = (request.ActorId is null ? 0 : 1) + (request.OwnerId is null ? 0 : 1) + (request.EntityType is null && request.EntityId is null ? 0 : 1);
        if (targets != 1)
        {
            return Invalid("actorId", "Give exactly one of actorId, ownerId, or entityType with entityId.");
        }

        if ((request.EntityType is null) != (request.EntityId is null))
        {
            return Invalid(request.EntityType is null ? "entityType" : "entityId", "entityType and entityId go together.");
        }

        ActivityLegalHold hold;
        try
        {
            hold = request.ActorId is { } actorId ? ActivityLegalHold.ForActor(name, actorId, request.Reason!)
                : request.OwnerId is { } ownerId ? ActivityLegalHold.ForOwner(name, ownerId, request.Reason!)
                : ActivityLegalHold.ForEntity(name, new EntityRef(request.EntityType!, request.EntityId!), request.Reason!);
        }
        catch (ArgumentException ex)
        {
            return Invalid(ex.ParamName switch { "actorId" or "ownerId" or "name" => ex.ParamName, "entity" => "entityId", _ => "reason" }, ActivityQueryParameters.Rule(ex));
        }

        try
        {
            ActivityLegalHold placed = await retention.PlaceHoldAsync(hold, actor, http.RequestAborted);
            return TypedResults.Created($"{http.Request.Path}", ActivityLegalHoldResponse.From(placed));
        }
        catch (ArgumentException ex) when (ex.ParamName == "hold")
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "The hold exists");
        }
    }

    private static async Task<IResult> ReleaseHoldAsync([Description("The hold's name.")] string name,
        [Description("Why the hold is released; recorded.")] string? reason, HttpContext http, IServiceProvider services, IOptions<ActivityLogApiOptions> options)
    {
        if (services.GetService<ActivityLogRetention>() is not { } retention)
        {
            return NotOn();
        }

        if (ActivityLogApiAccess.UserId(http.User, options.Value) is not { } actor)
        {
            return NoUserId();
        }

        return await retention.ReleaseHoldAsync(name, actor, reason, http.RequestAborted)
            ? TypedResults.NoContent()
            : TypedResults.Problem($"No legal hold named '{name}' is in place.", statusCode: StatusCodes.Status404NotFound, title: "No such hold");
    }

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The legal hold is invalid.");
}
