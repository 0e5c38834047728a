using System.Diagnostics.CodeAnalysis;
using System.Text;
using AuditGen.Integrity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Hosts a transparency-log witness (C2SP <c>tlog-witness</c>) in an ASP.NET Core app.</summary>
public static class ActivityWitnessEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the witness's routes under <paramref name="prefix"/>: <c>POST add-checkpoint</c> (a log submits a checkpoint and
    /// its consistency proof; the answer is the cosignature, or the spec's 400/403/404/409/422) and
    /// <c>GET {origin hash}/checkpoint</c> (its latest cosigned checkpoint of a log, for monitors and verifiers). Bodies over
    /// <see cref="ActivityWitness.MaxRequestBytes"/> are refused with 413 unread. The protocol has no authentication beyond
    /// the log's signature: add the app's own conventions (rate limits, an allow-list) to the returned group if needed.
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="witness">The witness (its key and state).</param>
    /// <param name="prefix">The submission and monitoring prefix; the root unless set.</param>
    /// <returns>The route group, to add conventions.</returns>
    public static RouteGroupBuilder MapActivityWitness(this IEndpointRouteBuilder endpoints, ActivityWitness witness, [StringSyntax("Route")] string prefix = "/")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(witness);
        ArgumentNullException.ThrowIfNull(prefix);
        RouteGroupBuilder group = endpoints.MapGroup(prefix);
        group.MapPost("/add-checkpoint", async (HttpContext http) =>
        {
            string? body = await ReadBodyAsync(http.Request, http.RequestAborted);
            ActivityWitnessResponse response = body is null
                ? new ActivityWitnessResponse(StatusCodes.Status413PayloadTooLarge, "text/plain; charset=utf-8", $"The request is larger than {ActivityWitness.MaxRequestBytes} bytes.\n")
                : await witness.AddCheckpointAsync(body, http.RequestAborted);
            return Answer(response);
        }).WithName("WitnessAddCheckpoint").ExcludeFromDescription();
        group.MapGet("/{originHash}/checkpoint", async (string originHash, HttpContext http) =>
            Answer(await witness.GetCheckpointByHashAsync(originHash, http.RequestAborted))).WithName("WitnessCheckpoint").ExcludeFromDescription();
        return group;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Answer(ActivityWitnessResponse response) =>
        TypedResults.Text(response.Body, response.ContentType, Encoding.UTF8, response.StatusCode);

    /// <summary>The body as UTF-8 text, or null when it is larger than the witness accepts (not read further).</summary>
    private static async Task<string?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > ActivityWitness.MaxRequestBytes)
        {
            return null;
        }

        byte[] buffer = new byte[ActivityWitness.MaxRequestBytes + 1];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return total > ActivityWitness.MaxRequestBytes ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }
}
