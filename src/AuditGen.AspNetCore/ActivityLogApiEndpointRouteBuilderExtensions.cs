using System.Diagnostics.CodeAnalysis;
using AuditGen;
using AuditGen.AspNetCore;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the activity log's read API.</summary>
public static class ActivityLogApiEndpointRouteBuilderExtensions
{
    /// <summary>The route prefix of version 1 of the API.</summary>
    public const string DefaultPrefix = "/v1/audit";

    /// <summary>
    /// Mounts the read API under <paramref name="prefix"/>: an entity's history, an owner's feed, an actor's audit, an
    /// action's records, the action catalog, an actor's or owner's summary, exports (NDJSON, CSV), and with tamper evidence
    /// the newest checkpoint and Merkle proofs. Every route requires an authenticated user; see
    /// <see cref="ActivityLogApiOptions.ReadPolicy"/> for what needs more. Requires
    /// <see cref="ActivityLogApiServiceCollectionExtensions.AddActivityLogApi"/>, authentication and authorization.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="prefix">The route prefix; <c>/v1/audit</c> unless set.</param>
    /// <returns>The route group, to add conventions such as rate limiting or CORS.</returns>
    /// <exception cref="InvalidOperationException"><c>AddActivityLogApi</c> was not called.</exception>
    public static RouteGroupBuilder MapActivityLogApi(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string prefix = DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (endpoints.ServiceProvider.GetService<ActivityLogApiMarker>() is null)
        {
            throw new InvalidOperationException(
                "The activity log API needs its services: call builder.Services.AddActivityLogApi() (and AddActivityLog()) before MapActivityLogApi().");
        }

        ActivityLogApiOptions options = endpoints.ServiceProvider.GetRequiredService<IOptions<ActivityLogApiOptions>>().Value;
        AuthorizationPolicy authenticated = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();

        RouteGroupBuilder group = endpoints.MapGroup(prefix)
            .WithTags("Audit")
            .RequireAuthorization(authenticated);

        group.MapGet("/entities/{entityType}/{entityId}/activities", GetEntityActivitiesAsync)
            .WithName("GetEntityActivities")
            .WithSummary("An entity's history")
            .WithDescription(
                "Records about one entity. With the read policy, every record; otherwise only the records of data the signed-in user owns.")
            .ListOfActivities();

        group.MapGet("/owners/{ownerId}/activities", GetOwnerActivitiesAsync)
            .WithName("GetOwnerActivities")
            .WithSummary("An owner's activity feed")
            .WithDescription("Everything done to one owner's data. Readable by that owner, or with the read policy.")
            .ListOfActivities();

        group.MapGet("/actors/{actorId}/activities", GetActorActivitiesAsync)
            .WithName("GetActorActivities")
            .WithSummary("An actor's audit")
            .WithDescription("Everything one actor did. Requires the read policy.")
            .RequireAuthorization(options.ReadPolicy)
            .ListOfActivities();

        group.MapGet("/actions/{action}/activities", GetActionActivitiesAsync)
            .WithName("GetActionActivities")
            .WithSummary("Every record of one action")
            .WithDescription("Every record of one action, such as create_task. Requires the read policy.")
            .RequireAuthorization(options.ReadPolicy)
            .ListOfActivities();

        group.MapGet("/actions", GetActions)
            .WithName("GetActions")
            .WithSummary("The action catalog")
            .WithDescription("Every action the application logs, with the type of entity it records.")
            .Produces<ActivityActionCatalogResponse>(contentType: "application/json")
            .Produces(StatusCodes.Status401Unauthorized);

        ActivityLogStateEndpoints.Map(group);
        ActivityLogSummaryEndpoints.Map(group, options.ReadPolicy);
        ActivityLogExportEndpoints.Map(group, options.ReadPolicy);
        ActivityLogProofEndpoints.Map(group, options.ReadPolicy);
        ActivityLogRetentionEndpoints.Map(group, options.ReadPolicy, options.RetentionPolicy);
        ActivityLogSubjectEndpoints.Map(group, options.ReadPolicy, options.ErasePolicy);
        return group;
    }

    private static RouteHandlerBuilder ListOfActivities(this RouteHandlerBuilder endpoint) => endpoint
        .Produces<ActivityPageResponse>(contentType: "application/json")
        .ProducesValidationProblem()
        .Produces(StatusCodes.Status401Unauthorized)
        .Produces(StatusCodes.Status403Forbidden)
        .AddOpenApiOperationTransformer(ActivityLogApiOpenApi.DescribeListAsync);

    private static async Task<IResult> GetEntityActivitiesAsync(
        string entityType, string entityId, [AsParameters] PageParameters page,
        HttpContext http, IActivityLogRepo log, IAuthorizationService authorization, IOptions<ActivityLogApiOptions> options)
    {
        var parameters = new ActivityQueryParameters();
        parameters.ApplyEntity(entityType, entityId);

        // Without the read policy, a history shows only what the user owns: an entity id alone grants nothing.
        if (!await ActivityLogApiAccess.CanReadAllAsync(http.User, authorization, options.Value))
        {
            if (ActivityLogApiAccess.UserId(http.User, options.Value) is not { } userId)
            {
                return TypedResults.Forbid();
            }

            parameters.Apply(q => q with { OwnerId = userId }, "OwnerId", "ownerId");
        }

        return await PageAsync(parameters, page, log, http);
    }

    private static async Task<IResult> GetOwnerActivitiesAsync(
        string ownerId, [AsParameters] PageParameters page,
        HttpContext http, IActivityLogRepo log, IAuthorizationService authorization, IOptions<ActivityLogApiOptions> options)
    {
        var parameters = new ActivityQueryParameters();
        if (parameters.ParseId(ownerId, "ownerId") is { } owner)
        {
            parameters.Apply(q => q with { OwnerId = owner }, "OwnerId", "ownerId");
            if (parameters.IsValid && !await ActivityLogApiAccess.MayReadOwnerAsync(http.User, owner, authorization, options.Value))
            {
                return TypedResults.Forbid();
            }
        }

        return await PageAsync(parameters, page, log, http);
    }

    private static async Task<IResult> GetActorActivitiesAsync(string actorId, [AsParameters] PageParameters page, HttpContext http, IActivityLogRepo log)
    {
        var parameters = new ActivityQueryParameters();
        if (parameters.ParseId(actorId, "actorId") is { } actor)
        {
            parameters.Apply(q => q with { ActorId = actor }, "ActorId", "actorId");
        }

        return await PageAsync(parameters, page, log, http);
    }

    private static async Task<IResult> GetActionActivitiesAsync(string action, [AsParameters] PageParameters page, HttpContext http, IActivityLogRepo log)
    {
        var parameters = new ActivityQueryParameters();
        parameters.Apply(q => q with { Action = action }, "Action", "action");
        return await PageAsync(parameters, page, log, http);
    }

    private static JsonHttpResult<ActivityActionCatalogResponse> GetActions(HttpContext http, IServiceProvider services)
    {
        IEnumerable<ActivityActionInfo> actions = services.GetService<ActivityActionCatalog>()?.Actions ?? [];
        ActivityActionResponse[] items = actions
            .Select(static a => new ActivityActionResponse(a.Action, a.EntityType))
            .Distinct()
            .OrderBy(static a => a.Action, StringComparer.Ordinal)
            .ThenBy(static a => a.EntityType, StringComparer.Ordinal)
            .ToArray();
        NoStore(http);
        return TypedResults.Json(new ActivityActionCatalogResponse(items), ActivityLogApiJsonContext.Default.ActivityActionCatalogResponse);
    }

    private static async Task<IResult> PageAsync(ActivityQueryParameters parameters, PageParameters page, IActivityLogRepo log, HttpContext http)
    {
        parameters.ApplyPage(page);
        if (!parameters.IsValid)
        {
            return TypedResults.ValidationProblem(parameters.Errors, title: "One or more query parameters are invalid.");
        }

        ActivityPage result = await log.QueryAsync(parameters.Query, http.RequestAborted);
        IReadOnlyList<ActivityRecord> records = await ActivityPersonalDataReading.UnsealAsync(result.Items, http.RequestServices, http.RequestAborted);
        ActivityItemResponse[] items = await ActivityItemNames.ItemsAsync(records, http.RequestServices, http.RequestAborted);

        NoStore(http);
        return TypedResults.Json(new ActivityPageResponse(items, result.NextCursor), ActivityLogApiJsonContext.Default.ActivityPageResponse);
    }

    /// <summary>Audit data is personal: no shared cache keeps it.</summary>
    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

}
