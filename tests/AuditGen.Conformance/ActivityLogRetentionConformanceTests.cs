using System.Globalization;
using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Conformance;

/// <summary>
/// What every store that implements <see cref="IActivityLogRetention"/> must do: purge what the policy no longer keeps and
/// nothing a legal hold covers, record every purge and hold, rerun to no effect, refuse every other deletion, and leave a
/// tamper-evident log verifiable. An adapter's test project derives from this class.
/// </summary>
public abstract class ActivityLogRetentionConformanceTests : IDisposable
{
    protected static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    protected static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    protected static readonly Guid Carol = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000ca201");
    protected static readonly Guid Auditor = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000a0d17");
    protected static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private readonly string _checkpoints = Path.Combine(Path.GetTempPath(), "auditgen-retention-" + Guid.NewGuid().ToString("N"));

    /// <summary>A new, empty log (a store that implements <see cref="IActivityLogRetention"/> and <see cref="IActivityLogOutbox"/>).</summary>
    protected abstract Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock);

    /// <summary>
    /// Deletes the record at <paramref name="sequence"/> with the database's own SQL, as a careless or hostile writer with
    /// ordinary rights would — inside a purge window of its own making when <paramref name="insideForgedWindow"/>.
    /// </summary>
    protected abstract Task DeleteDirectlyAsync(IActivityLogRepo log, long sequence, bool insideForgedWindow);

    /// <summary>Deletes the record at <paramref name="sequence"/> after turning the append-only protection off (the database's owner).</summary>
    protected abstract Task ForceDeleteAsync(IActivityLogRepo log, long sequence);

    public virtual void Dispose()
    {
        if (Directory.Exists(_checkpoints))
        {
            Directory.Delete(_checkpoints, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private static ActivityRecord At(DateTimeOffset at, string action = "create_task", Guid? actor = null, Guid? owner = null, int entity = 1) =>
        ActivityRecord.Create(actor ?? Alice, owner ?? actor ?? Alice, action, new EntityRef("Task", $"task-{entity}"), occurredAt: at);

    private static ActivityLogRetention Retention(IActivityLogRepo log, TimeProvider clock, int keepMonths = 12, int maxRecords = 100_000,
        ActivityCheckpointer? checkpointer = null, Action<ActivityRetentionPolicy>? policy = null)
    {
        var options = new ActivityRetentionOptions { MaxRecordsPerPurge = maxRecords };
        options.Policy.KeepMonths = keepMonths;
        policy?.Invoke(options.Policy);
        return new ActivityLogRetention(log, options, checkpointer, clock);
    }

    private static async Task<List<ActivityRecord>> AllAsync(IActivityLogRepo log)
    {
        var all = new List<ActivityRecord>();
        await foreach (ActivityRecord record in log.StreamAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst, Limit = ActivityQuery.MaxLimit }))
        {
            all.Add(record);
        }

        return all;
    }

    private static async Task<IReadOnlyList<ActivityRecord>> AppendAllAsync(IActivityLogRepo log, IEnumerable<ActivityRecord> records)
    {
        var stored = new List<ActivityRecord>();
        foreach (ActivityRecord record in records)
        {
            stored.Add((await log.AppendAsync(record)).Record!);
        }

        return stored;
    }

    private static string Text(ActivityRecord record, string key) => Convert.ToString(record.Metadata[key], CultureInfo.InvariantCulture)!;

    [Fact]
    public async Task A_purge_removes_what_the_policy_no_longer_keeps_and_records_itself_with_its_counts_and_boundary()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        IReadOnlyList<ActivityRecord> old = await AppendAllAsync(log, [At(Now.AddMonths(-17)), At(Now.AddMonths(-17), entity: 2), At(Now.AddMonths(-14)), At(Now.AddMonths(-12).AddSeconds(-1))]);
        IReadOnlyList<ActivityRecord> kept = await AppendAllAsync(log, [At(Now.AddMonths(-12)), At(Now.AddMonths(-3))]);

        ActivityPurgeResult result = await Retention(log, clock).PurgeAsync(Auditor);

        Assert.Equal(4, result.RecordsPurged);
        ActivityRecord purge = Assert.Single(result.Records);
        Assert.Equal(ActivityRetentionRecords.PurgeAction, purge.Action);
        Assert.Equal(Auditor, purge.ActorId);
        Assert.Equal(ActivityRetentionRecords.RetentionEntity, purge.EntityRef);
        Assert.Equal("4", Text(purge, "purged"));
        Assert.Equal($"{old[0].Sequence}-{old[^1].Sequence}", Text(purge, "ranges"));
        Assert.Equal(Now.AddMonths(-12).ToString("O", CultureInfo.InvariantCulture), Text(purge, "before"));
        Assert.False(purge.Metadata.ContainsKey("signature"));
        Assert.Equal([.. kept, purge], await AllAsync(log));
    }

    [Fact]
    public async Task An_action_kept_for_a_shorter_or_longer_period_goes_by_its_own_boundary()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        IReadOnlyList<ActivityRecord> stored = await AppendAllAsync(log,
        [
            At(Now.AddMonths(-2), "sign_in"),        // sign_in is kept 1 month: goes
            At(Now.AddMonths(-2), "create_task"),    // the default 12 months: stays
            At(Now.AddMonths(-30), "delete_account"), // kept 84 months: stays
            At(Now.AddMonths(-30), "create_task"),   // goes
        ]);

        ActivityPurgeResult result = await Retention(log, clock, policy: p =>
        {
            p.KeepMonthsByAction["sign_in"] = 1;
            p.KeepMonthsByAction["delete_account"] = 84;
        }).PurgeAsync(Auditor);

        Assert.Equal(2, result.RecordsPurged);
        Assert.Equal([stored[1], stored[2], result.Records[0]], await AllAsync(log));
        Assert.Contains("sign_in=", Text(result.Records[0], "beforeByAction"));
    }

    [Fact]
    public async Task Legal_holds_by_actor_owner_and_entity_keep_their_records_until_released_and_each_hold_is_recorded()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        DateTimeOffset old = Now.AddYears(-3);
        IReadOnlyList<ActivityRecord> stored = await AppendAllAsync(log,
        [
            At(old, actor: Bob),                   // held by actor
            At(old, actor: Alice, owner: Carol),   // held by owner
            At(old, entity: 9),                    // held by entity
            At(old, entity: 10),                   // not held
        ]);
        ActivityLogRetention retention = Retention(log, clock);

        await retention.PlaceHoldAsync(ActivityLegalHold.ForActor("case-bob", Bob, "litigation 2026-114"), Auditor);
        await retention.PlaceHoldAsync(ActivityLegalHold.ForOwner("case-carol", Carol, "regulator request"), Auditor);
        await retention.PlaceHoldAsync(ActivityLegalHold.ForEntity("case-task-9", new EntityRef("Task", "task-9"), "dispute"), Auditor);
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => retention.PlaceHoldAsync(ActivityLegalHold.ForActor("case-bob", Carol, "again"), Auditor));
        Assert.Equal("hold", duplicate.ParamName);

        ActivityPurgeResult first = await retention.PurgeAsync(Auditor);

        Assert.Equal(1, first.RecordsPurged);
        Assert.Equal("3", Text(first.Records[0], "holds"));
        List<ActivityRecord> all = await AllAsync(log);
        Assert.Equal(stored.Take(3), all.Take(3));
        Assert.Equal(3, all.Count(r => r.Action == ActivityRetentionRecords.HoldPlacedAction));
        IReadOnlyList<ActivityLegalHold> holds = await retention.ListHoldsAsync();
        Assert.Equal(["case-bob", "case-carol", "case-task-9"], holds.Select(h => h.Name));
        Assert.Equal(Bob, holds[0].ActorId);
        Assert.Equal(Carol, holds[1].OwnerId);
        Assert.Equal(new EntityRef("Task", "task-9"), holds[2].Entity);
        Assert.All(holds, h => Assert.Equal(Now, h.PlacedAt));

        Assert.True(await retention.ReleaseHoldAsync("case-bob", Auditor, "case closed"));
        Assert.False(await retention.ReleaseHoldAsync("no-such-hold", Auditor));
        ActivityPurgeResult second = await retention.PurgeAsync(Auditor);

        Assert.Equal(1, second.RecordsPurged);
        Assert.Equal($"{stored[0].Sequence}-{stored[0].Sequence}", Text(second.Records[0], "ranges"));
        ActivityRecord released = Assert.Single(await AllAsync(log), r => r.Action == ActivityRetentionRecords.HoldReleasedAction);
        Assert.Equal(new EntityRef("auditgen.legal_hold", "case-bob"), released.EntityRef);
        Assert.Equal("case closed", Text(released, "reason"));
    }

    [Fact]
    public async Task Running_a_purge_again_removes_nothing_more_and_records_nothing()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        await AppendAllAsync(log, [At(Now.AddYears(-2)), At(Now.AddYears(-2), entity: 2), At(Now)]);
        ActivityLogRetention retention = Retention(log, clock);
        await retention.PurgeAsync(Auditor);
        List<ActivityRecord> after = await AllAsync(log);

        ActivityPurgeResult again = await retention.PurgeAsync(Auditor);

        Assert.Equal(0, again.RecordsPurged);
        Assert.Empty(again.Records);
        Assert.Equal(after, await AllAsync(log));
    }

    [Fact]
    public async Task A_large_purge_goes_in_batches_each_recorded()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        // Just before the boundary: PostgreSQL deletes these row by row too (their partition also holds newer records).
        IReadOnlyList<ActivityRecord> old = await AppendAllAsync(log, [.. Enumerable.Range(0, 10).Select(i => At(Now.AddYears(-1).AddMinutes(-10 + i), entity: i))]);
        await log.AppendAsync(At(Now.AddYears(-1).AddDays(1)));

        ActivityPurgeResult result = await Retention(log, clock, maxRecords: 4).PurgeAsync(Auditor);

        Assert.Equal(10, result.RecordsPurged);
        Assert.Equal(["4", "4", "2"], result.Records.Select(r => Text(r, "purged")));
        Assert.Equal($"{old[0].Sequence}-{old[3].Sequence}", Text(result.Records[0], "ranges"));
        Assert.Equal(result.Records, (await AllAsync(log)).Skip(1));
    }

    [Fact]
    public async Task A_purge_never_reaches_past_its_window_sequence()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        IReadOnlyList<ActivityRecord> old = await AppendAllAsync(log, [.. Enumerable.Range(0, 5).Select(i => At(Now.AddYears(-2), entity: i))]);
        var store = (IActivityLogRetention)log;
        var options = new ActivityRetentionPolicy { KeepMonths = 12 };

        var done = await store.PurgeAsync(options.WindowAt(Now, throughSequence: old[1].Sequence), 100,
            summary => ActivityRetentionRecords.Purge(Auditor, summary, Now, key: null));

        Assert.Equal(2, done!.Value.Summary.RecordsPurged);
        Assert.Equal([.. old.Skip(2), done.Value.Record], await AllAsync(log));
    }

    [Fact]
    public async Task Nothing_but_a_purge_deletes_not_even_inside_a_forged_window_a_held_record_and_nothing_is_lost()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        IReadOnlyList<ActivityRecord> stored = await AppendAllAsync(log, [At(Now.AddYears(-3), actor: Bob), At(Now.AddYears(-3)), At(Now)]);
        ActivityLogRetention retention = Retention(log, clock);
        await retention.PlaceHoldAsync(ActivityLegalHold.ForActor("case-bob", Bob, "litigation"), Auditor);
        List<ActivityRecord> before = await AllAsync(log);

        await Assert.ThrowsAnyAsync<Exception>(() => DeleteDirectlyAsync(log, stored[1].Sequence, insideForgedWindow: false));
        await Assert.ThrowsAnyAsync<Exception>(() => DeleteDirectlyAsync(log, stored[2].Sequence, insideForgedWindow: false));
        await Assert.ThrowsAnyAsync<Exception>(() => DeleteDirectlyAsync(log, stored[0].Sequence, insideForgedWindow: true));
        Assert.Equal(before, await AllAsync(log));

        await retention.PurgeAsync(Auditor);
        await Assert.ThrowsAnyAsync<Exception>(() => DeleteDirectlyAsync(log, stored[2].Sequence, insideForgedWindow: false));
        Assert.Contains(stored[0], await AllAsync(log));
        Assert.Contains(stored[2], await AllAsync(log));
    }

    [Fact]
    public void A_policy_out_of_range_is_refused_naming_the_field()
    {
        Assert.Equal("KeepMonths", Assert.Throws<ArgumentException>(() => new ActivityRetentionPolicy().Validate()).ParamName);
        var byAction = new ActivityRetentionPolicy { KeepMonths = 12 };
        byAction.KeepMonthsByAction["sign_in"] = 0;
        Assert.Contains("KeepMonthsByAction[\"sign_in\"]", Assert.Throws<ArgumentException>(byAction.Validate).Message);
        var badAction = new ActivityRetentionPolicy { KeepMonths = 12 };
        badAction.KeepMonthsByAction["Sign In"] = 3;
        Assert.Contains("KeepMonthsByAction key", Assert.Throws<ArgumentException>(badAction.Validate).Message);
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => ActivityLegalHold.ForActor("h", Bob, " ")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => ActivityLegalHold.ForActor("Case 1", Bob, "why")).ParamName);
    }

    private (ActivityCheckpointer Checkpointer, ActivityCheckpointKey Key) TamperEvidence(IActivityLogRepo log, TimeProvider clock)
    {
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("retention-test", Now.AddYears(-5), Now.AddYears(5));
        return (new ActivityCheckpointer(log, new ActivityCheckpointOptions { Sink = new FileActivityCheckpointSink(_checkpoints), Key = key }, clock: clock), key);
    }

    [Fact]
    public async Task On_a_tamper_evident_log_a_purge_checkpoints_first_signs_its_record_and_the_log_still_verifies()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        await AppendAllAsync(log, [.. Enumerable.Range(0, 6).Select(i => At(Now.AddYears(-1).AddMinutes(-10 + i), entity: i)), At(Now.AddDays(-1))]);
        (ActivityCheckpointer checkpointer, ActivityCheckpointKey key) = TamperEvidence(log, clock);

        ActivityPurgeResult result = await Retention(log, clock, maxRecords: 4, checkpointer: checkpointer).PurgeAsync(Auditor);
        ActivityLogVerification verification = await ActivityLogVerifier.VerifyAsync((IActivityLogOutbox)log, new FileActivityCheckpointSink(_checkpoints), [key.PublicKey()]);

        Assert.Equal(6, result.RecordsPurged);
        Assert.All(result.Records, r => Assert.Equal("retention-test", Text(r, "keyId")));
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(6, verification.RecordsPurged);
        Assert.Equal(3, verification.RecordsVerified); // the kept record and the two purge records, checkpointed after the purge
    }

    [Fact]
    public async Task A_deletion_dressed_as_a_purge_is_caught_unsigned_or_signed_with_an_untrusted_key()
    {
        var clock = new FakeTimeProvider(Now);
        IActivityLogRepo log = await CreateLogAsync(clock);
        IReadOnlyList<ActivityRecord> stored = await AppendAllAsync(log, [.. Enumerable.Range(0, 5).Select(i => At(Now.AddYears(-2), entity: i))]);
        (ActivityCheckpointer checkpointer, ActivityCheckpointKey key) = TamperEvidence(log, clock);
        await checkpointer.CheckpointAsync();
        var sink = new FileActivityCheckpointSink(_checkpoints);

        await ForceDeleteAsync(log, stored[2].Sequence);
        var window = new ActivityPurgeWindow(Now, new Dictionary<string, DateTimeOffset>(), stored[2].Sequence);
        var summary = new ActivityPurgeSummary(window, 1, [new ActivitySequenceRange(stored[2].Sequence, stored[2].Sequence)], [], 0);
        ActivityRecord unsigned = (await log.AppendAsync(ActivityRetentionRecords.Purge(Bob, summary, Now, key: null))).Record!;

        ActivityLogVerification caught = await ActivityLogVerifier.VerifyAsync((IActivityLogOutbox)log, sink, [key.PublicKey()]);
        Assert.False(caught.IsIntact);
        Assert.Equal(stored[2].Sequence, caught.FirstDivergentSequence);

        using ActivityCheckpointKey attackers = ActivityCheckpointKey.Create("retention-test", Now.AddYears(-5), Now.AddYears(5));
        ActivityRecord forged = (await log.AppendAsync(ActivityRetentionRecords.Purge(Bob, summary, Now, attackers))).Record!;

        ActivityLogVerification forgery = await ActivityLogVerifier.VerifyAsync((IActivityLogOutbox)log, sink, [key.PublicKey()]);
        Assert.False(forgery.IsIntact);
        Assert.Equal(forged.Sequence, forgery.FirstDivergentSequence);
        Assert.Contains("not signed by a trusted key", forgery.Problem);
        Assert.NotEqual(unsigned.Sequence, forgery.FirstDivergentSequence);
    }
}
