using System.ComponentModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace AuditGen.AspNetCore;

/// <summary>The export route: the records of the list filters, streamed as NDJSON or CSV.</summary>
internal static class ActivityLogExportEndpoints
{
    public static void Map(RouteGroupBuilder group, string readPolicy)
    {
        group.MapGet("/export", Export)
            .WithName("ExportActivities")
            .WithSummary("Export records as NDJSON or CSV")
            .WithDescription(
                "Every record matching the filters, oldest first, streamed as a download: NDJSON (one item per line, the list routes' shape) " +
                "or CSV (a header row; metadata as one JSON column; cells that start like a formula are escaped). Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson", "text/csv")
            .ProducesValidationProblem()
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);
    }

    private static IResult Export(
        [FromQuery(Name = "format"), Description("ndjson (the default) or csv.")] string? format,
        [FromQuery(Name = "actorId"), Description("Only this actor's records.")] string? actorId,
        [FromQuery(Name = "ownerId"), Description("Only records of this owner's data.")] string? ownerId,
        [FromQuery(Name = "entityType"), Description("With entityId: only this entity's records.")] string? entityType,
        [FromQuery(Name = "entityId"), Description("With entityType: only this entity's records.")] string? entityId,
        [FromQuery(Name = "action"), Description("Only records of this action.")] string? action,
        [FromQuery(Name = "since"), Description("Only records at or after this ISO-8601 date-time (with Z or an offset).")] string? since,
        [FromQuery(Name = "until"), Description("Only records before this ISO-8601 date-time (with Z or an offset).")] string? until,
        IActivityLogRepo log)
    {
        var parameters = new ActivityQueryParameters();
        bool csv = false;
        switch (format?.ToLowerInvariant())
        {
            case null or "ndjson":
                break;
            case "csv":
                csv = true;
                break;
            default:
                parameters.AddError("format", "format must be 'ndjson' or 'csv'.");
                break;
        }

        if (actorId is not null && parameters.ParseId(actorId, "actorId") is { } actor)
        {
            parameters.Apply(q => q with { ActorId = actor }, "ActorId", "actorId");
        }

        if (ownerId is not null && parameters.ParseId(ownerId, "ownerId") is { } owner)
        {
            parameters.Apply(q => q with { OwnerId = owner }, "OwnerId", "ownerId");
        }

        if (entityType is null != entityId is null)
        {
            parameters.AddError(entityType is null ? "entityType" : "entityId", "entityType and entityId go together: give both, or neither.");
        }
        else if (entityType is not null)
        {
            parameters.ApplyEntity(entityType, entityId!);
        }

        if (action is not null)
        {
            parameters.Apply(q => q with { Action = action }, "Action", "action");
        }

        (DateTimeOffset? from, DateTimeOffset? to) = parameters.ParseWindow(since, until);
        if (!parameters.IsValid)
        {
            return TypedResults.ValidationProblem(parameters.Errors, title: "One or more query parameters are invalid.");
        }

        return new ActivityExportResult(log, parameters.Query with { Since = from, Until = to }, csv);
    }
}
