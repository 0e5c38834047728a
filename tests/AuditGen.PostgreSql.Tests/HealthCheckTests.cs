using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen.PostgreSql.Tests;

/// <summary>AddActivityLogHealthChecks over a real PostgreSQL server, and over one that is not there.</summary>
public sealed class HealthCheckTests
{
    private static async Task<HealthReportEntry> CheckAsync(string connectionString, string schema)
    {
        ServiceCollection services = new();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        services.AddActivityLog(log => log.UsePostgreSql(connectionString, o => o.Schema = schema));
        services.AddActivityLogHealthChecks(failureStatus: HealthStatus.Degraded);
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return Assert.Single(report.Entries).Value;
    }

    [Fact]
    public async Task A_reachable_server_with_a_current_schema_is_healthy()
    {
        HealthReportEntry entry = await CheckAsync(TestServer.ConnectionString, TestServer.NewSchema());
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("PostgreSqlActivityLogRepo", entry.Description);
    }

    [Fact]
    public async Task A_server_that_is_not_listening_reports_the_registered_failure_status_and_the_error()
    {
        // Port 1 on this machine: nothing listens there, so the connection is refused at once.
        HealthReportEntry entry = await CheckAsync("Host=127.0.0.1;Port=1;Username=postgres;Timeout=5", TestServer.NewSchema());
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("cannot be reached", entry.Description);
        Assert.NotNull(entry.Exception);
    }
}
