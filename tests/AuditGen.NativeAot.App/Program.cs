// Usage: AuditGen.NativeAot.App <database file> <actor id>
// Logs one note through DI (the generated decorator) and one by a direct call (the generated interceptor), prints
// "listening <address>", then serves the read API under /v1/audit until stopped.
using AuditGen;
using AuditGen.NativeAot.App;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

string database = args[0];
Guid actor = Guid.Parse(args[1]);

WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddActivityLog(log => log.UseSqlite($"Data Source={database}"));
builder.Services.AddLoggedUseCases();
builder.Services.AddActivityLogApi();
builder.Services.AddAuthentication(HeaderAuthenticationHandler.SchemeName)
    .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, HeaderAuthenticationHandler>(HeaderAuthenticationHandler.SchemeName, null);

WebApplication app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapActivityLogApi();

await using (AsyncServiceScope scope = app.Services.CreateAsyncScope())
{
    ICreateNote decorated = scope.ServiceProvider.GetRequiredService<ICreateNote>();
    Note first = await decorated.ExecuteAsync(actor, "through the decorator");
    Note second = await new CreateNote(scope.ServiceProvider.GetRequiredService<IActivityLogRepo>()).ExecuteAsync(actor, "by a direct call");
    Console.WriteLine($"logged {first.Id} {second.Id}");
}

await app.StartAsync();
Console.WriteLine($"listening {app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()}");
await app.WaitForShutdownAsync();
