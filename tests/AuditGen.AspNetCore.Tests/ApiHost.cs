using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuditGen.AspNetCore.Tests;

/// <summary>
/// A real Kestrel host on 127.0.0.1 (a free port) with JWT bearer authentication, as an application would run the API:
/// tokens are signed here with a test key and validated by the real handler.
/// </summary>
public sealed class ApiHost : IAsyncDisposable
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "auditgen-tests";
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("a test-only signing key of at least 256 bits, for HS256"));

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IActivityLogRepo Log => _app.Services.GetRequiredService<IActivityLogRepo>();

    public static async Task<ApiHost> StartAsync(
        Action<IServiceCollection>? configureServices = null, Action<ActivityLogApiOptions>? configureApi = null, Action<WebApplication>? configureApp = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddActivityLog();
        builder.Services.AddActivityLogApi(configureApi);
        builder.Services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new() { Title = "AuditGen activity log API", Version = "v1", Description = "Who did what to which record: /v1/audit." };
            return Task.CompletedTask;
        }));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = Issuer,
                ValidAudience = Audience,
                IssuerSigningKey = Key,
            };
        });
        configureServices?.Invoke(builder.Services);

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapActivityLogApi();
        configureApp?.Invoke(app);
        await app.StartAsync();

        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiHost(app, new Uri(address));
    }

    /// <summary>A signed access token for <paramref name="userId"/> in the <c>sub</c> claim, with the given scopes.</summary>
    public static string Token(Guid userId, params string[] scopes) => Token(new Dictionary<string, object> { ["sub"] = userId.ToString() }, scopes);

    public static string Token(IDictionary<string, object> claims, params string[] scopes)
    {
        var all = new Dictionary<string, object>(claims);
        if (scopes.Length > 0)
        {
            all["scope"] = string.Join(' ', scopes);
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = all,
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
