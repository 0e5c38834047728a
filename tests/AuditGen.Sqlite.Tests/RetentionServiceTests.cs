using AuditGen.Integrity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Sqlite.Tests;

/// <summary><c>UseRetention</c>: the service in DI, the schedule as a hosted service, and the stores that cannot purge.</summary>
public sealed class RetentionServiceTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task A_scheduled_retention_purges_at_start_as_the_system_actor_and_again_each_interval()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero));
        await using ServiceProvider services = new ServiceCollection()
            .AddSingleton<TimeProvider>(clock)
            .AddActivityLog(log => log.UseSqlite(_database.ConnectionString).UseInProcessDelivery().UseRetention(o =>
            {
                o.Policy.KeepMonths = 12;
                o.RunEvery = TimeSpan.FromHours(1);
            }))
            .BuildServiceProvider();
        var store = services.GetRequiredService<SqliteActivityLogRepo>();
        await store.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"), occurredAt: clock.GetUtcNow().AddYears(-2)));
        ActivityRetentionService schedule = Assert.Single(services.GetServices<IHostedService>().OfType<ActivityRetentionService>());

        await schedule.StartAsync(CancellationToken.None);
        await WaitAsync(() => schedule.Runs == 1);
        await store.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "2"), occurredAt: clock.GetUtcNow().AddMonths(-13)));
        clock.Advance(TimeSpan.FromHours(1));
        await WaitAsync(() => schedule.Runs == 2);
        await schedule.StopAsync(CancellationToken.None);

        IReadOnlyList<ActivityRecord> purges = await store.GetByActorAsync(ActivityRetentionOptions.SystemActorId);
        Assert.Equal(2, purges.Count);
        Assert.All(purges, p => Assert.Equal(ActivityRetentionRecords.PurgeAction, p.Action));
        Assert.Empty(await store.GetByActorAsync(Alice));
    }

    [Fact]
    public void Without_a_schedule_no_hosted_service_runs_and_the_retention_is_still_there_to_call()
    {
        using ServiceProvider services = new ServiceCollection()
            .AddActivityLog(log => log.UseSqlite(_database.ConnectionString).UseRetention(o => o.Policy.KeepMonths = 24))
            .BuildServiceProvider();

        Assert.Empty(services.GetServices<IHostedService>().OfType<ActivityRetentionService>());
        Assert.Equal(24, services.GetRequiredService<ActivityLogRetention>().Options.Policy.KeepMonths);
    }

    [Fact]
    public void Retention_over_a_store_that_cannot_purge_is_refused_naming_the_store_and_bad_options_name_the_field()
    {
        var options = new ActivityRetentionOptions();
        options.Policy.KeepMonths = 12;
        var ex = Assert.Throws<ArgumentException>(() => new ActivityLogRetention(new InMemoryActivityLogRepo(), options));
        Assert.Contains("InMemoryActivityLogRepo", ex.Message);
        Assert.Equal("log", ex.ParamName);

        Assert.Equal("KeepMonths", Assert.Throws<ArgumentException>(() => new ServiceCollection().AddActivityLog(l => l.UseRetention(_ => { }))).ParamName);
        Assert.Equal("RunEvery", Assert.Throws<ArgumentException>(() => new ServiceCollection().AddActivityLog(l => l.UseRetention(o =>
        {
            o.Policy.KeepMonths = 1;
            o.RunEvery = TimeSpan.Zero;
        }))).ParamName);
    }

    [Fact]
    public async Task With_tamper_evidence_the_registered_retention_signs_its_purges_with_the_checkpoint_key()
    {
        string folder = Path.Combine(_database.Folder, "checkpoints");
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("dev", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        await using ServiceProvider services = new ServiceCollection()
            .AddActivityLog(log => log.UseSqlite(_database.ConnectionString)
                .UseTamperEvidence(o => (o.Sink, o.Key) = (new FileActivityCheckpointSink(folder), key))
                .UseRetention(o => o.Policy.KeepMonths = 12))
            .BuildServiceProvider();
        var store = services.GetRequiredService<SqliteActivityLogRepo>();
        await store.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", "1"), occurredAt: DateTimeOffset.UtcNow.AddYears(-2)));

        ActivityPurgeResult result = await services.GetRequiredService<ActivityLogRetention>().PurgeAsync(Alice);

        Assert.Equal("dev", Assert.Single(result.Records).Metadata["keyId"]);
        Assert.True((await ActivityLogVerifier.VerifyAsync(store, new FileActivityCheckpointSink(folder), [key.PublicKey()])).IsIntact);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition());
    }
}
