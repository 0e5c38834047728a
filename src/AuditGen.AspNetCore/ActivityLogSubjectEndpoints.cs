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
/// The data-subject routes: erase a person's personal data (GDPR article 17) under the erase policy, and export every record
/// that holds it, in clear (article 15), under the read policy. 404 when the log keeps no subject keys.
/// </summary>
internal static class ActivityLogSubjectEndpoints
{
    public static void Map(RouteGroupBuilder group, string readPolicy, string erasePolicy)
    {
        group.MapPost("/subjects/{subjectId}/erasure", EraseAsync)
            .WithName("EraseSubject")
            .WithSummary("Erase a data subject's personal data")
            .WithDescription("Deletes the subject's key and records the erasure (auditgen.subject.erased, with the caller as actor) in one transaction: every value sealed under it reads as {\"erased\": true} from then on, while the records stay and the log still verifies. 409 under a legal hold on the subject. Requires the erase policy.")
            .RequireAuthorization(erasePolicy)
            .Accepts<ActivitySubjectErasureRequest>("application/json")
            .Produces<ActivitySubjectErasureResponse>(contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);

        group.MapGet("/subjects/{subjectId}/export", Export)
            .WithName("ExportSubject")
            .WithSummary("Export a data subject's personal data")
            .WithDescription("Streams every record that holds the subject's personal data, oldest first, as NDJSON (the list routes' item shape) with the values in clear while the subject's key exists. Reads the whole log. Requires the read policy.")
            .RequireAuthorization(readPolicy)
            .Produces<string>(StatusCodes.Status200OK, "application/x-ndjson")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Produces(StatusCodes.Status401Unauthorized)
            .Produces(StatusCodes.Status403Forbidden);
    }

    private static ProblemHttpResult NoKeys() =>
        TypedResults.Problem("The activity log keeps no personal data (its store keeps no subject keys).", statusCode: StatusCodes.Status404NotFound, title: "No personal data");

    private static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is invalid.");

    private static Guid? ParseSubject(string subjectId) =>
        Guid.TryParse(subjectId, out Guid id) && id != Guid.Empty ? id : null;

    private static async Task<IResult> EraseAsync([Description("The data subject's id (a GUID).")] string subjectId,
        HttpContext http, IServiceProvider services, IOptions<ActivityLogApiOptions> options)
    {
        if (ParseSubject(subjectId) is not { } subject)
        {
            return Invalid("subjectId", "subjectId must be a GUID other than the empty one.");
        }

        ActivitySubjectErasureRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(http.Request.Body, ActivityLogApiJsonContext.Default.ActivitySubjectErasureRequest, http.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Invalid("body", $"The body must be a JSON object with a reason: {ex.Message}");
        }

        if (string.IsNullOrWhiteSpace(request?.Reason))
        {
            return Invalid("reason", "reason is required: why the subject's personal data is erased (a request's reference).");
        }

        if (request.Reason.Length > ActivitySubjectKeys.MaxReasonLength)
        {
            return Invalid("reason", $"reason must be at most {ActivitySubjectKeys.MaxReasonLength} characters; it has {request.Reason.Length}.");
        }

        if (services.GetService<ActivitySubjectKeys>() is not { } keys)
        {
            return NoKeys();
        }

        if (ActivityLogApiAccess.UserId(http.User, options.Value) is not { } actor)
        {
            return TypedResults.Problem("The signed-in user has no id claim (a GUID) to record as the actor of this erasure.", statusCode: StatusCodes.Status403Forbidden, title: "No user id");
        }

        try
        {
            ActivityRecord record = await keys.EraseSubjectAsync(subject, request.Reason, actor, http.RequestAborted);
            http.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(ActivitySubjectErasureResponse.From(record), ActivityLogApiJsonContext.Default.ActivitySubjectErasureResponse);
        }
        catch (ActivitySubjectHeldException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "The subject is under legal hold");
        }
    }

    private static IResult Export([Description("The data subject's id (a GUID).")] string subjectId, IServiceProvider services, IActivityLogRepo log)
    {
        if (ParseSubject(subjectId) is not { } subject)
        {
            return Invalid("subjectId", "subjectId must be a GUID other than the empty one.");
        }

        return services.GetService<ActivitySubjectKeys>() is null ? NoKeys() : new ActivityExportResult(log, new ActivityQuery(), csv: false, subject);
    }
}
