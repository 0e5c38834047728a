using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

public class DependencyInjectionTests
{
    private sealed class Tag(string tag) : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(BeforeAppendDecision.Patch(record with
            {
                Metadata = new Dictionary<string, object?>(record.Metadata) { ["tags"] = $"{record.Metadata.GetValueOrDefault("tags")}{tag}" },
            }));
    }

    private sealed class TagA() : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            new Tag("A").BeforeAppendAsync(record, cancellationToken);
    }

    private sealed class Notify : IAfterAppendHook
    {
        public ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<SideEffectRequest>>([new SideEffectRequest("email")]);
    }

    private sealed class Email : ISideEffectHandler
    {
        public int Sent;

        public string Kind => "email";

        public ValueTask HandleAsync(SideEffectRequest request, ActivityRecord record, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Sent);
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Bare_AddActivityLog_gives_the_pipeline_over_the_in_memory_log()
    {
        using ServiceProvider sp = new ServiceCollection().AddActivityLog().BuildServiceProvider();

        var log = sp.GetRequiredService<IActivityLogRepo>();
        await log.AppendAsync(Record());

        Assert.IsType<ActivityLog>(log);
        Assert.Same(sp.GetRequiredService<InMemoryActivityLogRepo>(), ((ActivityLog)log).Store);
        Assert.Single(sp.GetRequiredService<InMemoryActivityLogRepo>().Records);
        Assert.Same(TimeProvider.System, sp.GetRequiredService<TimeProvider>());
        Assert.Same(log, sp.GetRequiredService<IActivityLogRepo>()); // singleton
    }

    [Fact]
    public async Task A_registered_TimeProvider_is_kept_and_stamps_records()
    {
        var clock = new FakeTimeProvider(Start);
        using ServiceProvider sp = new ServiceCollection().AddSingleton<TimeProvider>(clock).AddActivityLog().BuildServiceProvider();

        AppendResult result = await sp.GetRequiredService<IActivityLogRepo>().AppendAsync(Record());

        Assert.Same(clock, sp.GetRequiredService<TimeProvider>());
        Assert.Equal(Start, result.Record!.OccurredAt);
    }

    [Fact]
    public async Task Hooks_handlers_and_event_bus_from_the_builder_apply_in_registration_order()
    {
        var bus = new InMemoryEventBus();
        var email = new Email();
        using ServiceProvider sp = new ServiceCollection()
            .AddActivityLog(log => log
                .AddBeforeAppendHook<TagA>()
                .AddBeforeAppendHook(new Tag("B"))
                .AddAfterAppendHook<Notify>()
                .AddSideEffectHandler(email)
                .UseEventBus(bus))
            .BuildServiceProvider();

        AppendResult result = await sp.GetRequiredService<IActivityLogRepo>().AppendAsync(Record());

        Assert.Equal("AB", result.Record!.Metadata["tags"]);
        Assert.Equal(1, email.Sent);
        Assert.IsType<ActivityRecorded>(Assert.Single(bus.Published));
    }

    [Fact]
    public async Task Type_registrations_are_resolved_from_the_container()
    {
        using ServiceProvider sp = new ServiceCollection()
            .AddActivityLog(log => log.AddSideEffectHandler<Email>().AddAfterAppendHook<Notify>().UseEventBus<InMemoryEventBus>())
            .BuildServiceProvider();

        await sp.GetRequiredService<IActivityLogRepo>().AppendAsync(Record());

        Assert.Single(sp.GetRequiredService<InMemoryEventBus>().Published);
        Assert.Equal(1, ((Email)sp.GetServices<ISideEffectHandler>().Single()).Sent);
    }

    [Fact]
    public async Task UseStore_and_UseInMemory_instance_choose_the_adapter_and_the_last_one_wins()
    {
        var first = new InMemoryActivityLogRepo();
        var chosen = new InMemoryActivityLogRepo();
        using ServiceProvider sp = new ServiceCollection()
            .AddActivityLog(log => log.UseStore(first).UseInMemory(chosen))
            .BuildServiceProvider();

        await sp.GetRequiredService<IActivityLogRepo>().AppendAsync(Record());

        Assert.Empty(first.Records);
        Assert.Single(chosen.Records);
        Assert.Same(chosen, sp.GetRequiredService<InMemoryActivityLogRepo>());
    }
}
