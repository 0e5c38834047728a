using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using AuditGen.AspNetCore;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the auditor console: one page over the read API, served from this package.</summary>
public static class ActivityLogConsoleEndpointRouteBuilderExtensions
{
    /// <summary>The console's default path.</summary>
    public const string DefaultPath = "/audit";

    /// <summary>
    /// Mounts the auditor console at <paramref name="path"/>: search by actor, owner, entity, action and time window,
    /// keyset paging, an entity's timeline, an actor's summary, export links. Its page, script and styles are embedded in
    /// this package (no CDN; it works offline) and served with a strict Content-Security-Policy; the page calls the read
    /// API in the browser's own session (cookie authentication). Requires the read policy: an auditor gets the page, a
    /// signed-in user without the policy 403, an anonymous one the authentication scheme's challenge (401, or the app's
    /// sign-in).
    /// </summary>
    /// <param name="endpoints">The application's endpoints.</param>
    /// <param name="path">Where the console lives; <c>/audit</c> unless set.</param>
    /// <param name="apiPrefix">Where <see cref="ActivityLogApiEndpointRouteBuilderExtensions.MapActivityLogApi"/> mounted the API.</param>
    /// <returns>The route group, to add conventions.</returns>
    /// <exception cref="InvalidOperationException"><c>AddActivityLogApi</c> was not called.</exception>
    public static RouteGroupBuilder MapActivityLogConsole(this IEndpointRouteBuilder endpoints, [StringSyntax("Route")] string path = DefaultPath,
        string apiPrefix = ActivityLogApiEndpointRouteBuilderExtensions.DefaultPrefix)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(apiPrefix);
        if (endpoints.ServiceProvider.GetService<ActivityLogApiMarker>() is null)
        {
            throw new InvalidOperationException("The audit console needs the read API's services: call builder.Services.AddActivityLogApi() before MapActivityLogConsole().");
        }

        string readPolicy = endpoints.ServiceProvider.GetRequiredService<IOptions<ActivityLogApiOptions>>().Value.ReadPolicy;
        string basePath = "/" + path.Trim('/');
        string page = ActivityLogConsoleAssets.Page
            .Replace("{{base}}", HtmlEncoder.Default.Encode(basePath), StringComparison.Ordinal)
            .Replace("{{api}}", HtmlEncoder.Default.Encode("/" + apiPrefix.Trim('/')), StringComparison.Ordinal);

        RouteGroupBuilder group = endpoints.MapGroup(basePath).RequireAuthorization(readPolicy).ExcludeFromDescription();
        group.MapGet("/", (HttpContext http) => Serve(http, page, "text/html; charset=utf-8"));
        group.MapGet("/console.js", (HttpContext http) => Serve(http, ActivityLogConsoleAssets.Script, "text/javascript; charset=utf-8"));
        group.MapGet("/console.css", (HttpContext http) => Serve(http, ActivityLogConsoleAssets.Styles, "text/css; charset=utf-8"));
        return group;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Serve(HttpContext http, string content, string contentType)
    {
        IHeaderDictionary headers = http.Response.Headers;
        headers.ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Text(content, contentType);
    }
}
