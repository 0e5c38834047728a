using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuditGen.Sqlite.Tests;

/// <summary>AddActivityLogHealthChecks over a real SQLite file: healthy, an old schema, an unreachable file.</summary>
public sealed class HealthCheckTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private static async Task<HealthReportEntry> CheckAsync(Action<ActivityLogBuilder> configure)
    {
        ServiceCollection services = new();
        services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>)); // the host's logging, which the health service needs
        services.AddActivityLog(configure);
        services.AddActivityLogHealthChecks();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthReport report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return Assert.Single(report.Entries, e => e.Key == "auditgen").Value;
    }

    [Fact]
    public async Task A_reachable_log_with_its_schema_created_on_first_use_is_healthy()
    {
        HealthReportEntry entry = await CheckAsync(log => log.UseSqlite(_database.ConnectionString));
        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Contains("SqliteActivityLogRepo", entry.Description);
        Assert.Contains("auditgen", entry.Tags);
    }

    [Fact]
    public async Task A_log_whose_schema_is_not_created_is_unhealthy_and_says_how_to_fix_it()
    {
        HealthReportEntry entry = await CheckAsync(log => log.UseSqlite(_database.ConnectionString, o => o.CreateSchema = false));
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("schema", entry.Description);
        Assert.Contains("MigrateAsync", entry.Description);
    }

    [Fact]
    public async Task A_log_file_that_cannot_be_opened_is_unhealthy_and_names_the_error()
    {
        string directory = Path.Combine(Path.GetTempPath(), "auditgen-health-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory); // a directory where the database file should be
        try
        {
            HealthReportEntry entry = await CheckAsync(log => log.UseSqlite($"Data Source={directory}"));
            Assert.Equal(HealthStatus.Unhealthy, entry.Status);
            Assert.Contains("cannot be reached", entry.Description);
            Assert.NotNull(entry.Exception);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }
}
