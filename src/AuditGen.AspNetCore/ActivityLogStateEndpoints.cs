using System.ComponentModel;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AuditGen.AspNetCore;

/// <summary>The state route: an entity as of a point in time, rebuilt from its recorded changes.</summary>
internal static class ActivityLogStateEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/entities/{entityType}/{entityId}/state", GetStateAsync)
            .WithName("GetEntityState")
            .WithSummary("An entity as of a point in time")
            .WithDescription(
                "The entity's properties as of 'at' (now unless given), rebuilt from the changes recorded about it. The history's rule: " +
                "with the read policy from every record; otherwise only from the records of data the signed-in user owns. 404 when nothing was recorded by then.")
            .Produces<ActivityEntityStateResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden)
            .Produces(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> GetStateAsync(
        [Description("The entity's type, such as Task.")] string entityType,
        [Description("The entity's id.")] string entityId,
        [FromQuery(Name = "at"), Description("The point in time: an ISO-8601 date-time with Z or an offset; now unless given.")] string? at,
        HttpContext http, IActivityLogRepo log, IAuthorizationService authorization, IOptions<ActivityLogApiOptions> options, TimeProvider clock)
    {
        var parameters = new ActivityQueryParameters();
        parameters.ApplyEntity(entityType, entityId);
        DateTimeOffset when = parameters.ParseTime(at, "at") ?? clock.GetUtcNow();
        if (!parameters.IsValid)
        {
            return TypedResults.ValidationProblem(parameters.Errors, title: "One or more parameters are invalid.");
        }

        EntityRef entity = parameters.Query.Entity!.Value;
        ActivityEntityState? state;
        Guid? owner = null;
        if (await ActivityLogApiAccess.CanReadAllAsync(http.User, authorization, options.Value))
        {
            state = await log.GetEntityStateAsync(entity, when, http.RequestAborted);
        }
        else if (ActivityLogApiAccess.UserId(http.User, options.Value) is { } userId)
        {
            // Without the read policy, as in the history: only what the user owns, so an entity id alone grants nothing.
            owner = userId;
            state = await ActivityEntityState.RebuildAsync(entity, when,
                log.StreamAsync(ActivityEntityState.QueryFor(entity, when, userId), http.RequestAborted), http.RequestAborted);
        }
        else
        {
            return TypedResults.Forbid();
        }

        if (state is not null && state.Properties.Values.Any(static v => v is SealedValue) && http.RequestServices.GetService<ActivitySubjectKeys>() is { } keys)
        {
            // Personal values open only with their record (its id is bound to each one): rebuild from the opened records.
            state = await ActivityEntityState.RebuildAsync(entity, when,
                ActivityPersonalDataReading.UnsealEachAsync(log.StreamAsync(ActivityEntityState.QueryFor(entity, when, owner), http.RequestAborted), keys, http.RequestAborted),
                http.RequestAborted);
        }

        http.Response.Headers.CacheControl = "no-store";
        return state is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing was recorded about this entity by then.",
                detail: $"No record of {entity} at or before {when:O} that you may read.")
            : TypedResults.Json(ActivityEntityStateResponse.From(state), ActivityLogApiJsonContext.Default.ActivityEntityStateResponse);
    }
}
