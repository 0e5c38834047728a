using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

public class ActivityLogPipelineTests
{
    private readonly List<string> _journal = [];
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryActivityLogRepo _store;
    private readonly FakeLogger<ActivityLog> _logger = new();

    public ActivityLogPipelineTests() => _store = new InMemoryActivityLogRepo(_clock);

    private ActivityLog Pipeline(
        IBeforeAppendHook[]? before = null,
        IAfterAppendHook[]? after = null,
        ISideEffectHandler[]? handlers = null,
        IEventBus? bus = null,
        TimeProvider? clock = null) =>
        new(new JournalingStore(_store, _journal), before, after, handlers, bus, _logger, clock ?? _clock);

    // ---- hooks used by the tests -------------------------------------------------------------------------

    private sealed class Before(string name, List<string> journal, Func<ActivityRecord, BeforeAppendDecision>? decide = null) : IBeforeAppendHook
    {
        public ActivityRecord? Seen { get; private set; }

        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            Seen = record;
            journal.Add($"before:{name}");
            return ValueTask.FromResult(decide?.Invoke(record) ?? BeforeAppendDecision.Continue);
        }
    }

    private sealed class RedactSecrets : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            ValueTask.FromResult(record.Metadata.ContainsKey("password")
                ? BeforeAppendDecision.Patch(record with { Metadata = record.Metadata.Where(p => p.Key != "password").ToDictionary() })
                : BeforeAppendDecision.Continue);
    }

    private sealed class ThrowingBefore : IBeforeAppendHook
    {
        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("policy service down");
    }

    private sealed class After(string name, List<string> journal, params SideEffectRequest[] requests) : IAfterAppendHook
    {
        public ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            journal.Add($"after:{name}:{record.Sequence}");
            return ValueTask.FromResult<IReadOnlyList<SideEffectRequest>>(requests);
        }
    }

    private sealed class ThrowingAfter(List<string> journal) : IAfterAppendHook
    {
        public async ValueTask<IReadOnlyList<SideEffectRequest>> AfterAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            await Task.Yield();
            journal.Add("after:throwing");
            throw new InvalidOperationException("after hook broke");
        }
    }

    private sealed class Handler(string kind, List<string> journal, bool fail = false) : ISideEffectHandler
    {
        public string Kind => kind;

        public ValueTask HandleAsync(SideEffectRequest request, ActivityRecord record, CancellationToken cancellationToken)
        {
            journal.Add($"effect:{kind}:{request.Payload?["to"]}");
            return fail ? throw new InvalidOperationException($"{kind} failed") : ValueTask.CompletedTask;
        }
    }

    private sealed class JournalingBus(List<string> journal, InMemoryActivityLogRepo store, bool fail = false) : IEventBus
    {
        public List<object> Events { get; } = [];

        public ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
            where TEvent : notnull
        {
            journal.Add($"event:stored={store.Records.Count}");
            Events.Add(@event);
            return fail ? throw new InvalidOperationException("bus down") : ValueTask.CompletedTask;
        }
    }

    private sealed class JournalingStore(IActivityLogRepo inner, List<string> journal) : IActivityLogRepo
    {
        public async ValueTask<AppendResult> AppendAsync(ActivityRecord record, CancellationToken cancellationToken = default)
        {
            journal.Add("store");
            return await inner.AppendAsync(record, cancellationToken);
        }

        public ValueTask<ActivityPage> QueryAsync(ActivityQuery query, CancellationToken cancellationToken = default) =>
            inner.QueryAsync(query, cancellationToken);
    }

    // ---- tests ----------------------------------------------------------------------------------------------

    [Fact]
    public async Task Runs_before_hooks_store_after_hooks_with_their_side_effects_then_the_event_in_that_order()
    {
        var bus = new JournalingBus(_journal, _store);
        ActivityLog log = Pipeline(
            before: [new Before("1", _journal), new Before("2", _journal)],
            after: [new After("1", _journal, new SideEffectRequest("email", new Dictionary<string, object?> { ["to"] = "a" }),
                                             new SideEffectRequest("push", new Dictionary<string, object?> { ["to"] = "b" })),
                    new After("2", _journal, new SideEffectRequest("email", new Dictionary<string, object?> { ["to"] = "c" }))],
            handlers: [new Handler("email", _journal), new Handler("push", _journal)],
            bus: bus);
        _logger.Collector.Clear(); // the startup notice about the store (tested on its own)

        AppendResult result = await log.AppendAsync(Record());

        Assert.True(result.IsAppended);
        Assert.Equal(
            ["before:1", "before:2", "store", "after:1:1", "effect:email:a", "effect:push:b", "after:2:1", "effect:email:c", "event:stored=1"],
            _journal);
        ActivityRecorded recorded = Assert.IsType<ActivityRecorded>(Assert.Single(bus.Events));
        ActivityRecord stored = result.Record!;
        Assert.Equal(new ActivityRecorded(stored.RecordId, stored.ActorId, stored.OwnerId, stored.Action, stored.EntityRef), recorded);
        Assert.Equal("ActivityRecorded", ActivityRecorded.Name);
        Assert.Equal(1, ActivityRecorded.Version);
    }

    [Fact]
    public async Task Stamps_the_record_from_the_clock_before_hooks_see_it()
    {
        var hook = new Before("1", _journal);
        _clock.Advance(TimeSpan.FromHours(1));

        AppendResult result = await Pipeline(before: [hook]).AppendAsync(Record());

        Assert.Equal(Start.AddHours(1), hook.Seen!.OccurredAt);
        Assert.Equal(Start.AddHours(1), result.Record!.OccurredAt);
    }

    [Fact]
    public async Task Veto_appends_nothing_and_names_the_hook_and_reason()
    {
        var bus = new JournalingBus(_journal, _store);
        ActivityLog log = Pipeline(
            before: [new Before("1", _journal, _ => BeforeAppendDecision.Veto("actor is suspended")), new Before("2", _journal)],
            after: [new After("1", _journal)],
            bus: bus);
        _logger.Collector.Clear(); // the startup notice about the store (tested on its own)

        AppendResult result = await log.AppendAsync(Record());

        Assert.False(result.IsAppended);
        Assert.Null(result.Record);
        Assert.Equal("actor is suspended", result.VetoReason);
        Assert.Equal("Before", result.VetoedBy);
        Assert.Equal(["before:1"], _journal);
        Assert.Empty(_store.Records);
        Assert.Empty(bus.Events);
    }

    [Fact]
    public async Task Patch_hands_the_patched_record_to_the_next_hook_and_stores_it()
    {
        var next = new Before("next", _journal);
        ActivityLog log = Pipeline(before: [new RedactSecrets(), next]);
        ActivityRecord input = Record(metadata: new Dictionary<string, object?> { ["password"] = "hunter2", ["title"] = "t" });

        AppendResult result = await log.AppendAsync(input);

        Assert.False(next.Seen!.Metadata.ContainsKey("password"));
        Assert.Equal(["title"], result.Record!.Metadata.Keys);
        Assert.Equal(input.RecordId, result.Record.RecordId);
        Assert.False(_store.Records[0].Metadata.ContainsKey("password"));
    }

    [Fact]
    public async Task A_patch_that_changes_RecordId_is_an_error_and_appends_nothing()
    {
        ActivityLog log = Pipeline(before: [new Before("1", _journal, r => BeforeAppendDecision.Patch(Record()))]);

        var ex = await Assert.ThrowsAsync<ActivityHookException>(async () => await log.AppendAsync(Record()));

        Assert.Equal("Before", ex.HookType);
        Assert.Contains("cannot change RecordId", ex.Message);
        Assert.Empty(_store.Records);
    }

    [Fact]
    public async Task A_patch_into_an_incomplete_record_is_an_error_and_appends_nothing()
    {
        ActivityLog log = Pipeline(before: [new Before("1", _journal, r => BeforeAppendDecision.Patch(new ActivityRecord { RecordId = r.RecordId }))]);

        var ex = await Assert.ThrowsAsync<ActivityHookException>(async () => await log.AppendAsync(Record()));

        Assert.Contains("invalid", ex.Message);
        Assert.IsAssignableFrom<ArgumentException>(ex.InnerException);
        Assert.Empty(_store.Records);
    }

    [Fact]
    public async Task A_throwing_before_hook_appends_nothing_and_surfaces_wrapped_with_the_hook_name()
    {
        var after = new After("1", _journal);
        ActivityLog log = Pipeline(before: [new ThrowingBefore()], after: [after]);

        var ex = await Assert.ThrowsAsync<ActivityHookException>(async () => await log.AppendAsync(Record()));

        Assert.Equal(nameof(ThrowingBefore), ex.HookType);
        Assert.Contains(nameof(ThrowingBefore), ex.Message);
        Assert.Equal("policy service down", Assert.IsType<InvalidOperationException>(ex.InnerException).Message);
        Assert.Empty(_store.Records);
        Assert.DoesNotContain("store", _journal);
    }

    [Fact]
    public async Task Cancellation_in_a_before_hook_surfaces_unwrapped_and_appends_nothing()
    {
        using var cts = new CancellationTokenSource();
        ActivityLog log = Pipeline(before: [new Before("1", _journal, _ => { cts.Cancel(); cts.Token.ThrowIfCancellationRequested(); return BeforeAppendDecision.Continue; })]);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await log.AppendAsync(Record(), cts.Token));

        Assert.Empty(_store.Records);
    }

    [Fact]
    public async Task Failing_after_hooks_handlers_and_event_bus_are_logged_never_unappend_and_the_rest_still_run()
    {
        var bus = new JournalingBus(_journal, _store, fail: true);
        ActivityLog log = Pipeline(
            after: [new ThrowingAfter(_journal),
                    new After("2", _journal, new SideEffectRequest("email", new Dictionary<string, object?> { ["to"] = "a" }),
                                             new SideEffectRequest("sms", new Dictionary<string, object?> { ["to"] = "b" }),
                                             new SideEffectRequest("email", new Dictionary<string, object?> { ["to"] = "c" }))],
            handlers: [new Handler("email", _journal, fail: true), new Handler("sms", _journal)],
            bus: bus);
        _logger.Collector.Clear(); // the startup notice about the store (tested on its own)

        AppendResult result = await log.AppendAsync(Record());

        Assert.True(result.IsAppended);
        Assert.Single(_store.Records);
        Assert.Equal(["store", "after:throwing", "after:2:1", "effect:email:a", "effect:sms:b", "effect:email:c", "event:stored=1"], _journal);

        IReadOnlyList<FakeLogRecord> logs = _logger.Collector.GetSnapshot();
        Assert.Equal(4, logs.Count(l => l.Level == LogLevel.Error));
        Assert.Contains(logs, l => l.Message.Contains(nameof(ThrowingAfter)) && l.Exception?.Message == "after hook broke");
        Assert.Equal(2, logs.Count(l => l.Message.Contains("Side-effect handler Handler failed on a email request")));
        Assert.Contains(logs, l => l.Message.Contains("Event bus JournalingBus failed") && l.Exception?.Message == "bus down");
        Assert.All(logs, l => Assert.Contains(result.Record!.RecordId.ToString(), l.Message));
    }

    [Fact]
    public async Task A_side_effect_without_a_handler_is_logged_as_a_warning_and_skipped()
    {
        ActivityLog log = Pipeline(after: [new After("1", _journal, new SideEffectRequest("fax"), new SideEffectRequest("email"))],
            handlers: [new Handler("email", _journal)]);
        _logger.Collector.Clear(); // the startup notice about the store (tested on its own)

        await log.AppendAsync(Record());

        FakeLogRecord warning = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("fax", warning.Message);
        Assert.Contains("effect:email:", _journal);
    }

    [Fact]
    public void A_store_that_cannot_join_the_changes_transaction_is_announced_at_startup()
    {
        ActivityLog durable = Pipeline();
        FakeLogRecord notice = Assert.Single(_logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, notice.Level);
        Assert.Contains("JournalingStore cannot join the change's database transaction", notice.Message);
        Assert.False(durable.JoinsTransactions);

        _logger.Collector.Clear();
        _ = new ActivityLog(new InMemoryActivityLogRepo(), logger: _logger);
        Assert.Equal(LogLevel.Information, Assert.Single(_logger.Collector.GetSnapshot()).Level); // tests' store: said, not alarmed
    }

    [Fact]
    public async Task Queries_go_to_the_store()
    {
        ActivityLog log = Pipeline();
        await log.AppendAsync(Record());

        Assert.Single(await log.GetByActorAsync(Alice));
        Assert.Single(_store.Records);
        Assert.IsType<JournalingStore>(log.Store);
    }

    [Fact]
    public void Two_handlers_of_one_kind_are_a_configuration_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => Pipeline(handlers: [new Handler("email", _journal), new Handler("email", _journal)]));

        Assert.Contains("'email'", ex.Message);
        Assert.Equal("sideEffectHandlers", ex.ParamName);
    }

    [Fact]
    public void Side_effect_requests_need_a_kind()
    {
        Assert.Throws<ArgumentException>(() => new SideEffectRequest(" "));
        Assert.Throws<ArgumentException>(() => new SideEffectRequest("email") with { Kind = "" });
        Assert.Throws<ArgumentException>(() => BeforeAppendDecision.Veto(""));
    }

    [Fact]
    public async Task InMemoryEventBus_keeps_what_it_is_given_in_order()
    {
        var bus = new InMemoryEventBus();
        ActivityLog log = new(_store, eventBus: bus);

        ActivityRecord a = (await log.AppendAsync(Record())).Record!;
        ActivityRecord b = (await log.AppendAsync(Record(action: "update_task"))).Record!;

        Assert.Equal([ActivityRecorded.From(a), ActivityRecorded.From(b)], bus.Published);
    }
}
