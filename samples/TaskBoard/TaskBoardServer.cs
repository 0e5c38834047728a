using System.Net;
using System.Security.Claims;
using AuditGen;
using AuditGen.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace TaskBoard;

/// <summary>
/// <c>serve</c>: the task endpoints, the <c>/v1/audit</c> read API and one HTML page, on loopback only, behind a
/// DEVELOPMENT-ONLY sign-in (pick a user, get a cookie). A real application signs users in with its identity
/// provider instead; <c>AddActivityLogApi</c> and <c>MapActivityLogApi</c> stay the same.
/// </summary>
public static class TaskBoardServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    public static WebApplication Build(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(TaskBoardServer).Assembly.GetName().Name,
        });

        string urls = builder.Configuration["urls"] ?? DefaultUrl;
        foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            // The sign-in below hands out any identity on request: never listen beyond this machine.
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || !(uri.IsLoopback || IPAddress.TryParse(uri.Host, out IPAddress? ip) && IPAddress.IsLoopback(ip)))
            {
                throw new InvalidOperationException($"TaskBoard serves on loopback only (its sign-in is for development); '{url}' is not a loopback URL.");
            }
        }

        builder.WebHost.UseUrls(urls);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddTaskBoard(builder.Configuration);
        builder.Services.AddActivityLogApi();
        builder.Services.AddSingleton<IActorDirectory, DevUsersDirectory>(); // names instead of GUIDs in the API's items and exports
        builder.Services.AddActivityLogHealthChecks(); // the log's store reachable and its schema current: GET /health

        // OpenTelemetry: requests and AuditGen's spans and metrics (ActivityLogTelemetry.Name is "AuditGen"). Each record
        // carries the trace id of the request that made it (a traceparent header continues the caller's trace). To send
        // them to a collector, add .UseOtlpExporter() from OpenTelemetry.Exporter.OpenTelemetryProtocol.
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddAspNetCoreInstrumentation().AddSource(ActivityLogTelemetry.Name))
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(ActivityLogTelemetry.Name));
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();
        builder.Services.AddControllers(); // TasksController: its logged actions' filters come with AddLoggedUseCases
        builder.Services.AddRazorPages();  // Pages/Board/Rename: its logged handler's filter too
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "taskboard.dev";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;

            // An API answers 401 and 403; it does not redirect to a login page.
            cookie.Events.OnRedirectToLogin = context => SetStatus(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => SetStatus(context, StatusCodes.Status403Forbidden);
        });

        WebApplication app = builder.Build();
        TaskBoardDbContext.CreateAsync(app.Services).GetAwaiter().GetResult(); // startup, before the server listens
        if (app.Services.GetRequiredService<TaskBoardCheckpoints>().Announcement is { } announcement)
        {
            Console.WriteLine(announcement);
        }

        Console.WriteLine($"The log's key (for a witness: auditgen witness --state witness.db --log-key <it>): {app.Services.GetRequiredService<AuditGen.Integrity.ActivityCheckpointer>().VerifierKey}");

        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/health"); // status only ("Healthy"), no details: anonymous callers learn nothing else

        app.MapGet("/", () => TypedResults.Stream(typeof(TaskBoardServer).Assembly.GetManifestResourceStream("TaskBoard.index.html")!, "text/html; charset=utf-8"))
            .ExcludeFromDescription();
        app.MapOpenApi();
        app.MapActivityLogApi();
        app.MapActivityLogConsole(); // the auditor console at /audit (audit:read): search, timelines, summaries, exports
        MapDevelopmentSignIn(app);
        MapTasks(app);
        app.MapControllers();      // /api/tasks: the same tasks as an API controller (TasksController.cs)
        app.MapBoardEndpoints();   // /board/tasks: and as a minimal-API route group (BoardEndpoints.cs)
        app.MapRazorPages();       // /Board/Rename/{id}: and as a Razor Page form (Pages/Board/Rename.cshtml)
        return app;
    }

    private static Task SetStatus(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static void MapDevelopmentSignIn(WebApplication app)
    {
        RouteGroupBuilder dev = app.MapGroup("/dev").ExcludeFromDescription();

        // DEVELOPMENT ONLY: signs in as whoever is asked for. GET so that a link (or a headless browser) can use it.
        dev.MapGet("/sign-in", async (HttpContext http, string? user, string? returnUrl) =>
        {
            if (user is null)
            {
                string links = string.Join("", DevUsers.All.Select(u =>
                    $"<li><a href=\"/dev/sign-in?user={u.Name}\">{u.Name}</a>{(u.Scopes.Length > 0 ? $" ({string.Join(", ", u.Scopes)})" : "")}</li>"));
                return Results.Content(
                    $"<!doctype html><title>Development sign-in</title><h1>Development-only sign-in</h1>" +
                    $"<p>Not authentication: anyone who can reach this page can be anyone. Loopback only.</p><ul>{links}</ul>",
                    "text/html; charset=utf-8");
            }

            if (DevUsers.All.FirstOrDefault(u => u.Name == user) is not { Name: not null } found)
            {
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["user"] = [$"user must be one of {string.Join(", ", DevUsers.All.Select(u => u.Name))}."] });
            }

            var claims = new List<Claim> { new("sub", found.Id.ToString()), new(ClaimTypes.Name, found.Name) };
            claims.AddRange(found.Scopes.Select(scope => new Claim("scope", scope)));

            await http.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity(claims, "dev-sign-in")));
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        });

        dev.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync();
            return Results.NoContent();
        });
    }

    private static bool IsLocal(string? url) =>
        url is ['/', ..] && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    private sealed record TaskTitle(string? Title);

    private sealed record MeResponse(Guid Id, string Name, bool Auditor);

    private static void MapTasks(WebApplication app)
    {
        app.MapGet("/me", (ClaimsPrincipal user, IActorAccessor actor) =>
        {
            Guid id = actor.CurrentActorId!.Value;
            return TypedResults.Ok(new MeResponse(id, DevUsers.NameOf(id), user.HasClaim("scope", ActivityLogApiOptions.DefaultReadScope)));
        }).RequireAuthorization().WithTags("Tasks");

        RouteGroupBuilder tasks = app.MapGroup("/tasks").RequireAuthorization().WithTags("Tasks");

        tasks.MapGet("/", async (IActorAccessor actor, ITaskQueries queries, CancellationToken ct) =>
            TypedResults.Ok(await queries.ListByOwnerAsync(Me(actor), ct)));

        tasks.MapGet("/{id:guid}", async Task<Results<Ok<TaskItem>, NotFound>> (Guid id, IActorAccessor actor, ITaskQueries queries, CancellationToken ct) =>
            await FindOwnAsync(id, actor, queries, ct) is { } task ? TypedResults.Ok(task) : TypedResults.NotFound());

        tasks.MapPost("/", async Task<Results<Created<TaskItem>, ValidationProblem>> (TaskTitle body, IActorAccessor actor, ICreateTaskUseCase create, CancellationToken ct) =>
        {
            if (ValidateTitle(body.Title) is { } problem)
            {
                return problem;
            }

            TaskItem task = await create.ExecuteAsync(Me(actor), new CreateTaskInput(body.Title!.Trim()), ct);
            return TypedResults.Created($"/tasks/{task.Id}", task);
        });

        tasks.MapPut("/{id:guid}", async Task<Results<Ok<TaskItem>, NotFound, ValidationProblem>> (
            Guid id, TaskTitle body, IActorAccessor actor, ITaskQueries queries, IUpdateTaskUseCase update, CancellationToken ct) =>
        {
            if (ValidateTitle(body.Title) is { } problem)
            {
                return problem;
            }

            return await FindOwnAsync(id, actor, queries, ct) is null
                ? TypedResults.NotFound()
                : TypedResults.Ok(await update.ExecuteAsync(Me(actor), id, body.Title!.Trim(), ct));
        });

        tasks.MapPost("/{id:guid}/complete", async Task<Results<Ok<TaskItem>, NotFound>> (
            Guid id, IActorAccessor actor, ITaskQueries queries, ICompleteTaskUseCase complete, CancellationToken ct) =>
            await FindOwnAsync(id, actor, queries, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await complete.ExecuteAsync(Me(actor), id, ct)));

        tasks.MapDelete("/{id:guid}", async Task<Results<NoContent, NotFound>> (
            Guid id, IActorAccessor actor, ITaskQueries queries, IDeleteTaskUseCase delete, CancellationToken ct) =>
        {
            if (await FindOwnAsync(id, actor, queries, ct) is null)
            {
                return TypedResults.NotFound();
            }

            await delete.ExecuteAsync(Me(actor), id, ct);
            return TypedResults.NoContent();
        });
    }

    /// <summary>The signed-in user; every task route requires one.</summary>
    private static Guid Me(IActorAccessor actor) =>
        actor.CurrentActorId ?? throw new InvalidOperationException("No signed-in user; task routes require authorization.");

    /// <summary>A task the user owns, or null: other people's tasks are not found, not forbidden, so ids leak nothing.</summary>
    private static async ValueTask<TaskItem?> FindOwnAsync(Guid id, IActorAccessor actor, ITaskQueries queries, CancellationToken ct) =>
        await queries.FindAsync(id, ct) is { } task && task.OwnerId == Me(actor) ? task : null;

    private static ValidationProblem? ValidateTitle(string? title)
    {
        string? error = title switch
        {
            null => "title is required.",
            _ when string.IsNullOrWhiteSpace(title) => "title must not be blank.",
            { Length: > 200 } => $"title must be at most 200 characters; it has {title.Length}.",
            _ when title.Any(char.IsControl) => "title must not contain control characters.",
            _ => null,
        };
        return error is null ? null : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["title"] = [error] });
    }
}
