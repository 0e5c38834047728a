using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Tests.Integrity;

/// <summary>
/// A checkpointer whose key cannot sign (its window closed, or has not opened) says so loudly: an error naming the key
/// and its window on the first refused checkpoint, the health check unhealthy at once, and a warning at start-up while
/// the window is about to close. Every clock here is the test's: nothing depends on the machine's date.
/// </summary>
public sealed class CheckpointKeyExpiryTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset KeyFrom = new(2026, 11, 29, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset KeyUntil = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "auditgen-key-expiry-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityCheckpointKey _key = ActivityCheckpointKey.Create("key-2026-11", KeyFrom, KeyUntil);
    private readonly FakeLogger<ActivityCheckpointer> _logger = new();

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private ActivityCheckpointOptions Options(TimeSpan? warning = null, ActivityCheckpointKey? key = null) => new()
    {
        Sink = new FileActivityCheckpointSink(_directory),
        Key = key ?? _key,
        EveryRecords = 3,
        PollInterval = TimeSpan.FromMilliseconds(5),
        KeyExpiryWarning = warning ?? TimeSpan.FromDays(30),
    };

    private static async Task AppendAsync(IActivityLogRepo log, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{i}")));
        }
    }

    private static async Task PollUntilAsync(FakeTimeProvider clock, Func<bool> condition)
    {
        for (int i = 0; i < 3000 && !condition(); i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Delay(10);
        }
    }

    private IReadOnlyList<FakeLogRecord> Logs(LogLevel level) => [.. _logger.Collector.GetSnapshot().Where(l => l.Level == level)];

    [Fact]
    public async Task A_hosted_checkpointer_past_its_keys_window_logs_one_error_naming_the_key_and_its_window_and_writes_nothing()
    {
        var clock = new FakeTimeProvider(KeyUntil.AddYears(1)); // far past the window, as the machine's clock one day will be
        var log = new InMemoryActivityLogRepo(clock);
        await AppendAsync(log, 7);
        var checkpointer = new ActivityCheckpointer(log, Options(), _logger, clock);

        await checkpointer.StartAsync(CancellationToken.None);
        await PollUntilAsync(clock, () => checkpointer.Pending >= 7);
        for (int i = 0; i < 20; i++) // many polls with enough records for a checkpoint: each one refused
        {
            clock.Advance(TimeSpan.FromMilliseconds(5));
            await Task.Delay(5);
        }

        await checkpointer.StopAsync(CancellationToken.None);

        Assert.Null(checkpointer.Latest);
        Assert.False(Directory.Exists(_directory) && Directory.EnumerateFiles(_directory).Any());
        FakeLogRecord error = Assert.Single(Logs(LogLevel.Error), l => l.Id.Id == 32);
        Assert.Contains("'key-2026-11'", error.Message);
        Assert.Contains("2026-11-29T09:00:00.0000000+00:00", error.Message);
        Assert.Contains("2026-12-01T09:00:00.0000000+00:00", error.Message);
        Assert.Contains("configured", error.Message);
    }

    [Fact]
    public async Task The_first_refused_checkpoint_is_logged_once_and_again_only_after_a_signed_one()
    {
        var clock = new FakeTimeProvider(KeyFrom.AddHours(1));
        var log = new InMemoryActivityLogRepo(clock);
        var checkpointer = new ActivityCheckpointer(log, Options(), _logger, clock);
        await AppendAsync(log, 2);
        Assert.NotNull(await checkpointer.CheckpointAsync()); // inside the window: signed, nothing logged
        Assert.Empty(Logs(LogLevel.Error));

        clock.SetUtcNow(KeyUntil); // the window's end is exclusive
        await AppendAsync(log, 2);
        InvalidOperationException refused = await Assert.ThrowsAsync<InvalidOperationException>(() => checkpointer.CheckpointAsync());
        Assert.Contains("'key-2026-11'", refused.Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => checkpointer.CheckpointAsync());
        Assert.Single(Logs(LogLevel.Error), l => l.Id.Id == 32);
        Assert.Contains("2 records wait", Logs(LogLevel.Error)[0].Message);
    }

    [Fact]
    public async Task The_health_check_is_unhealthy_as_soon_as_the_key_cannot_sign_even_with_nothing_waiting()
    {
        var clock = new FakeTimeProvider(KeyUntil.AddMinutes(-1));
        ServiceCollection services = new();
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(typeof(ILogger<>), typeof(Microsoft.Extensions.Logging.Abstractions.NullLogger<>));
        services.AddActivityLog(log => log.UseInMemory().UseTamperEvidence(o =>
        {
            o.Sink = new FileActivityCheckpointSink(_directory);
            o.Key = _key;
        }));
        services.AddActivityLogHealthChecks();
        await using ServiceProvider provider = services.BuildServiceProvider();
        HealthCheckService health = provider.GetRequiredService<HealthCheckService>();

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["auditgen"].Status);

        clock.Advance(TimeSpan.FromMinutes(1)); // the window closes; no record waits and no checkpoint is late yet
        HealthReportEntry entry = (await health.CheckHealthAsync()).Entries["auditgen"];
        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Contains("cannot be signed", entry.Description);
        Assert.Contains("'key-2026-11'", entry.Description);
        Assert.Contains("2026-12-01T09:00:00.0000000+00:00", entry.Description);
    }

    [Theory]
    [InlineData(29, 30, true)]   // ends within the default 30 days: warned
    [InlineData(31, 30, false)]  // ends later: quiet
    [InlineData(10, 7, false)]   // a shorter configured warning period
    [InlineData(10, 0, false)]   // warning turned off
    public async Task At_start_up_a_key_whose_window_ends_soon_is_a_warning(int daysLeft, int warningDays, bool warned)
    {
        using ActivityCheckpointKey yearly = ActivityCheckpointKey.Create("key-2026", KeyUntil.AddYears(-1), KeyUntil);
        var clock = new FakeTimeProvider(KeyUntil.AddDays(-daysLeft));
        var log = new InMemoryActivityLogRepo(clock);
        var checkpointer = new ActivityCheckpointer(log, Options(TimeSpan.FromDays(warningDays), yearly), _logger, clock);

        await checkpointer.StartAsync(CancellationToken.None);
        await checkpointer.StopAsync(CancellationToken.None);

        IReadOnlyList<FakeLogRecord> warnings = [.. Logs(LogLevel.Warning).Where(l => l.Id.Id == 33)];
        Assert.Equal(warned ? 1 : 0, warnings.Count);
        if (warned)
        {
            Assert.Contains("'key-2026'", warnings[0].Message);
            Assert.Contains("2026-12-01T09:00:00.0000000+00:00", warnings[0].Message);
            Assert.Contains($"{daysLeft} days", warnings[0].Message);
        }

        Assert.Empty(Logs(LogLevel.Error));
    }

    [Fact]
    public void A_negative_warning_period_is_refused_naming_the_option()
    {
        ActivityCheckpointOptions options = Options(TimeSpan.FromDays(-1));
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => new ActivityCheckpointer(new InMemoryActivityLogRepo(), options));
        Assert.Equal(nameof(ActivityCheckpointOptions.KeyExpiryWarning), error.ParamName);
    }
}
