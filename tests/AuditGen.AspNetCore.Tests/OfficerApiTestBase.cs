using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace AuditGen.AspNetCore.Tests;

/// <summary>
/// What the tests of the officer routes (retention, data subjects) share: a real Kestrel host over a real SQLite file in a
/// folder of its own, retention on (12 months); an officer's token with the scopes the tests name, an auditor's with
/// audit:read; and a request with an optional JSON body, answered with its status and text.
/// </summary>
public abstract class OfficerApiTestBase(string folderName, string[] officerScopes) : IAsyncLifetime
{
    protected static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    protected static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    protected static readonly Guid Officer = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000a0d17");
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"auditgen-{folderName}-" + Guid.NewGuid().ToString("N"));

    protected string OfficerToken { get; } = ApiHost.Token(Officer, officerScopes);

    protected string AuditorToken { get; } = ApiHost.Token(Guid.NewGuid(), "audit:read");

    protected ApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        Host = await ApiHost.StartAsync(services => services.AddActivityLog(log => log
            .UseSqlite($"Data Source={Path.Combine(_folder, "audit.db")}").UseInProcessDelivery()
            .UseRetention(o => o.Policy.KeepMonths = 12)));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    protected async Task<(HttpStatusCode Status, string Text)> SendAsync(HttpMethod method, string path, string? token, string? json = null)
    {
        using HttpResponseMessage response = await Host.SendAsync(method, path, token, json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
