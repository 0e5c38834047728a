using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace TaskBoard.Tests;

/// <summary>The sample's <c>serve</c> mode on a free port of 127.0.0.1, with its activity log in a fresh SQLite file.</summary>
public sealed class SampleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _directory;

    private SampleServer(WebApplication app, string directory, Uri address)
    {
        _app = app;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The repository's root (where the tests write the README's screenshots when asked to).</summary>
    public static string RepositoryRoot => Path.GetFullPath(typeof(SampleServer).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false).Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!);

    /// <summary>The SQLite file of the tasks and their log.</summary>
    public string DatabasePath => Path.Combine(_directory, "taskboard.db");

    /// <summary>Stops the server gracefully: requests in flight finish first.</summary>
    public Task StopAsync() => _app.StopAsync();

    public static async Task<SampleServer> StartAsync()
    {
        string directory = Directory.CreateTempSubdirectory("taskboard-").FullName;
        WebApplication app = TaskBoardServer.Build(["--urls", "http://127.0.0.1:0", "--db", Path.Combine(directory, "taskboard.db"), "--Logging:LogLevel:Default=Warning"]);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new SampleServer(app, directory, new Uri(address));
    }

    /// <summary>A client signed in through the development sign-in; cookies kept, redirects not followed.</summary>
    public async Task<HttpClient> SignInAsync(string? user)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = Address };
        if (user is not null)
        {
            using HttpResponseMessage response = await client.GetAsync($"/dev/sign-in?user={user}");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        return client;
    }

    /// <summary>Signs in through the development sign-in and returns the Cookie header value, for raw-socket clients.</summary>
    public async Task<string> SignInCookieAsync(string user)
    {
        var cookies = new CookieContainer();
        using var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = Address };
        using HttpResponseMessage response = await client.GetAsync($"/dev/sign-in?user={user}");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return cookies.GetCookieHeader(Address);
    }

    public static async Task<JsonElement> CreateTaskAsync(HttpClient client, string title)
    {
        using HttpResponseMessage response = await client.PostAsJsonAsync("/tasks", new { title });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
