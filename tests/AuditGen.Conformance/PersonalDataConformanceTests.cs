using System.Text;
using AuditGen.Integrity;
using AuditGen.Storage;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Conformance;

/// <summary>
/// What every store that keeps subject keys (<see cref="IActivitySubjectKeyStore"/>) must do for personal data: store no
/// personal value in clear (scanned in the store's own bytes), read it back in clear while the key exists and as erased
/// after <see cref="ActivitySubjectKeys.EraseSubjectAsync"/> (which leaves no copy of the key), erase two subjects of one
/// record independently, refuse erasure under a legal hold, re-wrap keys without touching records, keep verifying, and
/// never store clear text when an append races an erasure. An adapter's test project derives from this class.
/// </summary>
public abstract class PersonalDataConformanceTests : IDisposable
{
    protected static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    protected static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    protected static readonly Guid Auditor = Guid.Parse("0b0e4c1e-0000-4000-8000-0000000a0d17");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 6, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly string _checkpoints = Path.Combine(Path.GetTempPath(), "auditgen-personal-" + Guid.NewGuid().ToString("N"));
    private readonly IActivityKeyEncryptionKey _kek = FileActivityKeyEncryptionKey.Create();

    /// <summary>A new, empty log whose store implements <see cref="IActivitySubjectKeyStore"/> and <see cref="IActivityLogOutbox"/>.</summary>
    protected abstract Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock);

    /// <summary>Whether <paramref name="bytes"/> occur anywhere the store keeps data (files with their WAL, or every table's rows).</summary>
    protected abstract Task<bool> StorageContainsAsync(IActivityLogRepo log, byte[] bytes);

    public virtual void Dispose()
    {
        if (Directory.Exists(_checkpoints))
        {
            Directory.Delete(_checkpoints, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private ActivityLog Pipeline(IActivityLogRepo store, IActivityKeyEncryptionKey? kek = null, params IBeforeAppendHook[] hooks) =>
        new(store, hooks, clock: _clock) { PersonalData = new ActivitySubjectKeys((IActivitySubjectKeyStore)store, kek ?? _kek, _clock) };

    private static string Unique(string text) => $"{text} {Guid.NewGuid():N}";

    private static ActivityRecord Titled(Guid owner, object? title, object? oldName = null, object? newName = null)
    {
        ActivityRecord record = ActivityRecord.Create(owner, owner, "update_task", new EntityRef("Task", "7"),
            new Dictionary<string, object?> { ["title"] = title, ["priority"] = 2 });
        return oldName is null && newName is null ? record : record with
        {
            Changes = [new EntityChange(new EntityRef("Task", "7"), EntityChangeKind.Modified, [new PropertyChange("Name", oldName, newName)])],
        };
    }

    private static async Task<ActivityRecord> StoredAsync(IActivityLogRepo store, Guid recordId) =>
        (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items.Single(r => r.RecordId == recordId);

    [Fact]
    public async Task Personal_values_are_stored_sealed_and_read_back_in_clear_while_the_key_exists()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        string title = Unique("Call Alice Smith"), oldName = Unique("Alice Smith"), newName = Unique("Alice Jones");
        var hook = new Seeing();
        ActivityLog log = Pipeline(store, null, hook);

        AppendResult result = await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, title), new PersonalValue(Alice, oldName), new PersonalValue(Alice, newName)));

        // Hooks see the clear values; the store holds sealed ones, and its bytes hold no clear text.
        Assert.Equal(new PersonalValue(Alice, title), hook.Seen!.Metadata["title"]);
        ActivityRecord stored = await StoredAsync(store, result.Record!.RecordId);
        SealedValue sealedTitle = Assert.IsType<SealedValue>(stored.Metadata["title"]);
        Assert.Equal(Alice, sealedTitle.SubjectId);
        Assert.IsType<SealedValue>(stored.Changes[0].Properties[0].OldValue);
        Assert.IsType<SealedValue>(stored.Changes[0].Properties[0].NewValue);
        Assert.Equal(2, stored.Metadata["priority"]);
        foreach (string clear in new[] { title, oldName, newName })
        {
            Assert.False(await StorageContainsAsync(store, Encoding.UTF8.GetBytes(clear)), $"'{clear}' is stored in clear");
        }

        // The leaf binds the ciphertext.
        Assert.Contains(sealedTitle.ToText(), Encoding.UTF8.GetString(ActivityRecordEncoding.Encode(stored)), StringComparison.Ordinal);

        ActivityRecord read = await log.PersonalData!.UnsealAsync(stored);
        Assert.Equal(new PersonalValue(Alice, title), read.Metadata["title"]);
        Assert.Equal(new PersonalValue(Alice, oldName), read.Changes[0].Properties[0].OldValue);
        Assert.Equal(new PersonalValue(Alice, newName), read.Changes[0].Properties[0].NewValue);

        // Read by a second custody over the same store (another process): the key comes from the key table.
        ActivityRecord again = await new ActivitySubjectKeys((IActivitySubjectKeyStore)store, _kek, _clock).UnsealAsync(stored);
        Assert.Equal(read, again);
    }

    [Fact]
    public async Task The_store_refuses_a_personal_value_in_clear()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        string title = Unique("Bob's address");

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AppendAsync(Titled(Bob, new PersonalValue(Bob, title))));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.AppendAsync(Titled(Bob, "x", null, new PersonalValue(Bob, title))));
        Exception refused = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await new ActivityLog(store, clock: _clock).AppendAsync(Titled(Bob, new PersonalValue(Bob, title))));
        Assert.Contains("personal data", refused.Message, StringComparison.Ordinal);

        Assert.Empty((await store.QueryAsync(new ActivityQuery())).Items);
        Assert.False(await StorageContainsAsync(store, Encoding.UTF8.GetBytes(title)));
    }

    [Fact]
    public async Task Erasure_makes_the_values_unreadable_leaves_no_key_and_records_itself()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        ActivityLog log = Pipeline(store);
        ActivitySubjectKeys keys = log.PersonalData!;
        AppendResult first = await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, "one"), new PersonalValue(Alice, "a"), new PersonalValue(Alice, "b")));
        await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, "two")));
        ActivitySubjectKey key = (await ((IActivitySubjectKeyStore)store).FindSubjectKeyAsync(Alice))!;
        Assert.Equal(4, key.SealedValues);
        Assert.True(await StorageContainsAsync(store, key.WrappedKey.ToArray()));

        ActivityRecord erasure = await keys.EraseSubjectAsync(Alice, "GDPR request 2026-114", Auditor);

        Assert.Equal(ActivitySubjectKeys.ErasedAction, erasure.Action);
        Assert.Equal(Auditor, erasure.ActorId);
        Assert.Equal(Alice, erasure.OwnerId);
        Assert.Equal(new EntityRef(ActivitySubjectKeys.SubjectEntityType, Alice), erasure.EntityRef);
        Assert.Equal(4L, erasure.Metadata["valuesErased"]);
        Assert.Equal("GDPR request 2026-114", erasure.Metadata["reason"]);
        Assert.Null(await ((IActivitySubjectKeyStore)store).FindSubjectKeyAsync(Alice));
        Assert.False(await StorageContainsAsync(store, key.WrappedKey.ToArray()), "the erased key's bytes are still stored");

        // The record stays, with its actor, action, entity and time; the values read as erased, in this process and another.
        foreach (ActivitySubjectKeys reader in new[] { keys, new ActivitySubjectKeys((IActivitySubjectKeyStore)store, _kek, _clock) })
        {
            ActivityRecord read = await reader.UnsealAsync(await StoredAsync(store, first.Record!.RecordId));
            Assert.Equal(new ErasedValue(Alice), read.Metadata["title"]);
            Assert.Equal(new ErasedValue(Alice), read.Changes[0].Properties[0].OldValue);
            Assert.Equal(new ErasedValue(Alice), read.Changes[0].Properties[0].NewValue);
            Assert.Equal(first.Record.Action, read.Action);
            Assert.Equal(2, read.Metadata["priority"]);
        }

        // A later personal value of the same person gets a new key and reads in clear; the erased ones stay erased.
        AppendResult later = await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, "three")));
        Assert.NotEqual(key.KeyId, Assert.IsType<SealedValue>(later.Record!.Metadata["title"]).KeyId);
        Assert.Equal(new PersonalValue(Alice, "three"), (await keys.UnsealAsync(later.Record)).Metadata["title"]);
        Assert.Equal(new ErasedValue(Alice), (await keys.UnsealAsync(await StoredAsync(store, first.Record!.RecordId))).Metadata["title"]);
    }

    [Fact]
    public async Task Two_subjects_of_one_record_are_erased_independently()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        ActivityLog log = Pipeline(store);
        ActivityRecord record = ActivityRecord.Create(Bob, Alice, "assign_task", new EntityRef("Task", "7"), new Dictionary<string, object?>
        {
            ["assignee"] = new PersonalValue(Alice, "Alice Smith"),
            ["assignedBy"] = new PersonalValue(Bob, "Bob Brown"),
        });
        AppendResult appended = await log.AppendAsync(record);

        ActivityRecord erasure = await log.PersonalData!.EraseSubjectAsync(Bob, "request", Auditor);

        Assert.Equal(1L, erasure.Metadata["valuesErased"]);
        ActivityRecord read = await log.PersonalData.UnsealAsync(await StoredAsync(store, appended.Record!.RecordId));
        Assert.Equal(new PersonalValue(Alice, "Alice Smith"), read.Metadata["assignee"]);
        Assert.Equal(new ErasedValue(Bob), read.Metadata["assignedBy"]);
    }

    [Fact]
    public async Task A_legal_hold_on_the_subject_refuses_erasure()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        if (store is not IActivityLogRetention)
        {
            return; // a store without legal holds (in-memory)
        }

        ActivityLog log = Pipeline(store);
        AppendResult appended = await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, "held title")));
        var options = new ActivityRetentionOptions();
        options.Policy.KeepMonths = 12;
        var retention = new ActivityLogRetention(store, options, clock: _clock);
        await retention.PlaceHoldAsync(ActivityLegalHold.ForOwner("case-114", Alice, "litigation"), Auditor);
        long before = (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items.Count;

        ActivitySubjectHeldException held = await Assert.ThrowsAsync<ActivitySubjectHeldException>(async () =>
            await log.PersonalData!.EraseSubjectAsync(Alice, "request", Auditor));

        Assert.Equal("case-114", held.HoldName);
        Assert.Contains("case-114", held.Message, StringComparison.Ordinal);
        Assert.NotNull(await ((IActivitySubjectKeyStore)store).FindSubjectKeyAsync(Alice));
        Assert.Equal(before, (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items.Count);
        Assert.Equal(new PersonalValue(Alice, "held title"), (await log.PersonalData!.UnsealAsync(appended.Record!)).Metadata["title"]);

        await retention.ReleaseHoldAsync("case-114", Auditor);
        await log.PersonalData.EraseSubjectAsync(Alice, "request", Auditor);
        Assert.Null(await ((IActivitySubjectKeyStore)store).FindSubjectKeyAsync(Alice));
    }

    [Fact]
    public async Task Rotating_the_key_encryption_key_rewraps_keys_without_touching_records()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        ActivityLog log = Pipeline(store);
        AppendResult alice = await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, "alice title")));
        AppendResult bob = await log.AppendAsync(Titled(Bob, new PersonalValue(Bob, "bob title")));
        byte[][] before = [.. (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items.Select(ActivityRecordEncoding.Encode)];
        FileActivityKeyEncryptionKey newKek = FileActivityKeyEncryptionKey.Create();

        Assert.Equal(2, await log.PersonalData!.RewrapAsync(newKek));
        Assert.Equal(0, await log.PersonalData.RewrapAsync(newKek)); // done already: nothing to do

        byte[][] after = [.. (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items.Select(ActivityRecordEncoding.Encode)];
        Assert.Equal(before, after);
        var rotated = new ActivitySubjectKeys((IActivitySubjectKeyStore)store, newKek, _clock);
        Assert.Equal(new PersonalValue(Alice, "alice title"), (await rotated.UnsealAsync(alice.Record!)).Metadata["title"]);
        Assert.Equal(new PersonalValue(Bob, "bob title"), (await rotated.UnsealAsync(bob.Record!)).Metadata["title"]);
        await Assert.ThrowsAnyAsync<System.Security.Cryptography.CryptographicException>(async () =>
            await new ActivitySubjectKeys((IActivitySubjectKeyStore)store, _kek, _clock).UnsealAsync(alice.Record!));
    }

    [Fact]
    public async Task The_log_still_verifies_after_an_erasure()
    {
        IActivityLogRepo store = await CreateLogAsync(_clock);
        ActivityLog log = Pipeline(store);
        using ActivityCheckpointKey key = ActivityCheckpointKey.Create("test", _clock.GetUtcNow().AddDays(-1), _clock.GetUtcNow().AddDays(1));
        var sink = new FileActivityCheckpointSink(_checkpoints);
        var checkpointer = new ActivityCheckpointer(store, new ActivityCheckpointOptions { Sink = sink, Key = key }, clock: _clock);
        for (int i = 0; i < 5; i++)
        {
            await log.AppendAsync(Titled(i % 2 == 0 ? Alice : Bob, new PersonalValue(i % 2 == 0 ? Alice : Bob, $"title {i}"), "x", new PersonalValue(Alice, $"name {i}")));
        }

        await checkpointer.CheckpointAsync();
        await log.PersonalData!.EraseSubjectAsync(Alice, "request", Auditor);
        await checkpointer.CheckpointAsync();

        ActivityLogVerification verification = await ActivityLogVerifier.VerifyAsync((IActivityLogOutbox)store, sink, [key.PublicKey()]);
        Assert.True(verification.IsIntact, verification.Problem);
        Assert.Equal(6, verification.RecordsVerified);
    }

    [Fact]
    public async Task An_append_racing_an_erasure_of_its_subject_seals_under_the_erased_key_or_fails_never_in_clear()
    {
        IActivityLogRepo store = await CreateLogAsync(TimeProvider.System);
        var keys = new ActivitySubjectKeys((IActivitySubjectKeyStore)store, _kek);
        var log = new ActivityLog(store) { PersonalData = keys };
        string marker = Unique("racing title");
        await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, marker + " warm-up")));

        using var start = new ManualResetEventSlim();
        Task<AppendResult>[] appends = [.. Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            start.Wait();
            return await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, $"{marker} {i}")));
        }))];
        Task<ActivityRecord> erasure = Task.Run(async () =>
        {
            start.Wait();
            await Task.Yield();
            return await keys.EraseSubjectAsync(Alice, "request", Auditor);
        });
        start.Set();
        await Task.WhenAll(appends.Select(a => (Task)a).Append(erasure).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.True(erasure.IsCompletedSuccessfully, erasure.Exception?.ToString());
        IReadOnlyList<ActivityRecord> stored = (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items;
        foreach (ActivityRecord record in stored.Where(r => r.Action == "update_task"))
        {
            Assert.IsType<SealedValue>(record.Metadata["title"]);
        }

        Assert.False(await StorageContainsAsync(store, Encoding.UTF8.GetBytes(marker)), "a racing append stored clear text");
        foreach (Task<AppendResult> append in appends.Where(a => a.IsCompletedSuccessfully))
        {
            // Sealed under the erased key (unreadable) or under the subject's new key (readable): never lost in clear.
            object? title = (await keys.UnsealAsync(await StoredAsync(store, (await append).Record!.RecordId))).Metadata["title"];
            Assert.True(title is ErasedValue || title is PersonalValue { Value: string s } && s.StartsWith(marker, StringComparison.Ordinal), $"{title}");
        }
    }

    [Fact]
    public async Task Concurrent_appends_and_reads_of_one_subject_seal_and_open_every_value_as_it_was()
    {
        IActivityLogRepo store = await CreateLogAsync(TimeProvider.System);
        var keys = new ActivitySubjectKeys((IActivitySubjectKeyStore)store, _kek);
        var log = new ActivityLog(store) { PersonalData = keys };
        string marker = Unique("shared key");

        // One subject, so every caller uses the same cached key and its cipher at once.
        AppendResult[] appended = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => Task.Run(async () =>
            await log.AppendAsync(Titled(Alice, new PersonalValue(Alice, $"{marker} {i}"))))));
        IReadOnlyList<ActivityRecord> stored = (await store.QueryAsync(new ActivityQuery { Limit = 1000 })).Items;
        IReadOnlyList<ActivityRecord>[] pages = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await keys.UnsealAsync(stored))));

        foreach (IReadOnlyList<ActivityRecord> page in pages)
        {
            for (int i = 0; i < stored.Count; i++)
            {
                Assert.Equal(stored[i].RecordId, page[i].RecordId);
            }

            Assert.Equal(
                Enumerable.Range(0, 32).Select(i => $"{marker} {i}").Order(StringComparer.Ordinal),
                page.Select(r => (string)((PersonalValue)r.Metadata["title"]!).Value!).Order(StringComparer.Ordinal));
        }

        Assert.All(appended, a => Assert.NotNull(a.Record));
    }

    private sealed class Seeing : IBeforeAppendHook
    {
        public ActivityRecord? Seen { get; private set; }

        public ValueTask<BeforeAppendDecision> BeforeAppendAsync(ActivityRecord record, CancellationToken cancellationToken)
        {
            Seen = record;
            return ValueTask.FromResult(BeforeAppendDecision.Continue);
        }
    }
}
