using System.ComponentModel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace AuditGen.AspNetCore;

/// <summary>The summary routes: an actor's or an owner's records counted per action.</summary>
internal static class ActivityLogSummaryEndpoints
{
    public static void Map(RouteGroupBuilder group, string readPolicy)
    {
        group.MapGet("/actors/{actorId}/summary", GetActorSummaryAsync)
            .WithName("GetActorSummary")
            .WithSummary("What an actor did, per action")
            .WithDescription("The actor's records counted per action (most first), optionally within since/until. Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<ActorSummaryResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapGet("/owners/{ownerId}/summary", GetOwnerSummaryAsync)
            .WithName("GetOwnerSummary")
            .WithSummary("What was done to an owner's data, per action")
            .WithDescription("The owner's records counted per action (most first), optionally within since/until. Readable by that owner, or with the read policy.")
            .Produces<OwnerSummaryResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);
    }

    private static async Task<IResult> GetActorSummaryAsync(
        [Description("The actor (a GUID).")] string actorId,
        [FromQuery(Name = "since"), Description("Only records at or after this ISO-8601 date-time (with Z or an offset).")] string? since,
        [FromQuery(Name = "until"), Description("Only records before this ISO-8601 date-time (with Z or an offset).")] string? until,
        HttpContext http, IActivityLogRepo log)
    {
        var parameters = new ActivityQueryParameters();
        Guid? actor = parameters.ParseId(actorId, "actorId");
        (DateTimeOffset? from, DateTimeOffset? to) = parameters.ParseWindow(since, until);
        if (actor is { } id && id == Guid.Empty)
        {
            parameters.AddError("actorId", "actorId must not be Guid.Empty; pass the real identifier.");
        }

        if (!parameters.IsValid)
        {
            return TypedResults.ValidationProblem(parameters.Errors, title: "One or more parameters are invalid.");
        }

        ActivitySummary summary = await log.SummarizeAsync(ActivitySummaryQuery.ByActor(actor!.Value, from, to), http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new ActorSummaryResponse(actor.Value, from, to, summary.Total, Counts(summary)), ActivityLogApiJsonContext.Default.ActorSummaryResponse);
    }

    private static async Task<IResult> GetOwnerSummaryAsync(
        [Description("The owner (a GUID).")] string ownerId,
        [FromQuery(Name = "since"), Description("Only records at or after this ISO-8601 date-time (with Z or an offset).")] string? since,
        [FromQuery(Name = "until"), Description("Only records before this ISO-8601 date-time (with Z or an offset).")] string? until,
        HttpContext http, IActivityLogRepo log, IAuthorizationService authorization, IOptions<ActivityLogApiOptions> options)
    {
        var parameters = new ActivityQueryParameters();
        Guid? owner = parameters.ParseId(ownerId, "ownerId");
        (DateTimeOffset? from, DateTimeOffset? to) = parameters.ParseWindow(since, until);
        if (owner is { } id && id == Guid.Empty)
        {
            parameters.AddError("ownerId", "ownerId must not be Guid.Empty; pass the real identifier.");
        }

        if (!parameters.IsValid)
        {
            return TypedResults.ValidationProblem(parameters.Errors, title: "One or more parameters are invalid.");
        }

        if (!await ActivityLogApiAccess.MayReadOwnerAsync(http.User, owner!.Value, authorization, options.Value))
        {
            return TypedResults.Forbid();
        }

        ActivitySummary summary = await log.SummarizeAsync(ActivitySummaryQuery.ByOwner(owner!.Value, from, to), http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Json(new OwnerSummaryResponse(owner.Value, from, to, summary.Total, Counts(summary)), ActivityLogApiJsonContext.Default.OwnerSummaryResponse);
    }

    private static ActivityActionCountResponse[] Counts(ActivitySummary summary) =>
        [.. summary.Actions.Select(static a => new ActivityActionCountResponse(a.Action, a.Count))];
}
