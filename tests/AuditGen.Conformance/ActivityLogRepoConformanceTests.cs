using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Conformance;

/// <summary>
/// What every <see cref="IActivityLogRepo"/> adapter must do: the port's queries, orders, cursors, time ranges and
/// validation rules, exact round-trips of every metadata value type, and concurrent writers with a paging reader.
/// An adapter's test project derives from this class and says how to make an empty log.
/// </summary>
public abstract class ActivityLogRepoConformanceTests
{
    protected static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    protected static readonly Guid Bob = Guid.Parse("0b0e4c1e-0000-4000-8000-000000000b0b");
    protected static readonly DateTimeOffset Start = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    private enum Priority { Low, High }

    /// <summary>A new, empty log stamping from <paramref name="clock"/>.</summary>
    protected abstract Task<IActivityLogRepo> CreateLogAsync(TimeProvider clock);

    /// <summary>Appends per writer in the concurrency test (8 writers).</summary>
    protected virtual int AppendsPerWriter => 10_000;

    protected static EntityRef TaskRef(int n) => new("Task", $"task-{n}");

    protected static ActivityRecord Record(string action = "create_task", Guid? actor = null, Guid? owner = null, EntityRef? entity = null,
        IReadOnlyDictionary<string, object?>? metadata = null, DateTimeOffset? occurredAt = null) =>
        ActivityRecord.Create(actor ?? Alice, owner ?? actor ?? Alice, action, entity ?? TaskRef(1), metadata, occurredAt);

    private static async Task<ActivityRecord> AppendAsync(IActivityLogRepo log, ActivityRecord record)
    {
        AppendResult result = await log.AppendAsync(record);
        Assert.True(result.IsAppended);
        return result.Record!;
    }

    private static async Task<List<ActivityRecord>> AllAsync(IActivityLogRepo log, ActivityQuery query)
    {
        var all = new List<ActivityRecord>();
        await foreach (ActivityRecord record in log.StreamAsync(query))
        {
            all.Add(record);
        }

        return all;
    }

    [Fact]
    public async Task Append_stamps_from_the_clock_keeps_a_given_time_and_assigns_increasing_sequences()
    {
        var clock = new FakeTimeProvider(Start);
        IActivityLogRepo log = await CreateLogAsync(clock);

        ActivityRecord first = await AppendAsync(log, Record());
        clock.Advance(TimeSpan.FromMinutes(5));
        ActivityRecord second = await AppendAsync(log, Record(occurredAt: new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.FromHours(3))));

        Assert.Equal(Start, first.OccurredAt);
        Assert.Equal(new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.Zero), second.OccurredAt);
        Assert.True(first.Sequence > 0);
        Assert.True(second.Sequence > first.Sequence);
        Assert.Equal([second, first], (await log.QueryAsync(new ActivityQuery())).Items);
    }

    [Fact]
    public async Task A_stored_record_reads_back_equal_to_what_append_returned()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord input = Record(metadata: new Dictionary<string, object?> { ["title"] = "Write docs" });

        ActivityRecord stored = await AppendAsync(log, input);

        Assert.Equal((input with { OccurredAt = Start }).WithSequence(stored.Sequence), stored);
        Assert.Equal(stored, Assert.Single(await log.GetByEntityAsync(TaskRef(1))));
    }

    [Fact]
    public async Task The_trace_context_round_trips_and_a_record_without_one_reads_back_without_one()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord traced = await AppendAsync(log, Record() with { TraceId = "4bf92f3577b34da6a3ce929d0e0e4736", SpanId = "00f067aa0ba902b7" });
        ActivityRecord untraced = await AppendAsync(log, Record(action: "edit_task"));

        List<ActivityRecord> read = await AllAsync(log, new ActivityQuery { Entity = TaskRef(1), Order = ActivityOrder.OldestFirst });
        Assert.Equal([traced, untraced], read);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", read[0].TraceId);
        Assert.Equal("00f067aa0ba902b7", read[0].SpanId);
        Assert.Null(read[1].TraceId);
        Assert.Null(read[1].SpanId);
    }

    [Fact]
    public async Task Queries_by_entity_actor_owner_action_and_several_filters()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord a = await AppendAsync(log, Record("create_task", Alice, Alice, TaskRef(1)));
        ActivityRecord b = await AppendAsync(log, Record("update_task", Bob, Alice, TaskRef(1)));
        ActivityRecord c = await AppendAsync(log, Record("create_task", Bob, Bob, TaskRef(2)));
        ActivityRecord d = await AppendAsync(log, Record("complete_task", Alice, Bob, TaskRef(2)));

        Assert.Equal([b, a], await log.GetByEntityAsync(TaskRef(1)));
        Assert.Equal([d, a], await log.GetByActorAsync(Alice));
        Assert.Equal([d, c], await log.GetByOwnerAsync(Bob));
        Assert.Equal([c, a], await log.GetByActionAsync("create_task"));
        Assert.Equal([b], (await log.QueryAsync(new ActivityQuery { Entity = TaskRef(1), ActorId = Bob, Action = "update_task" })).Items);
        Assert.Equal([a, b, c, d], (await log.QueryAsync(new ActivityQuery { Order = ActivityOrder.OldestFirst })).Items);
        Assert.Empty(await log.GetByActionAsync("delete_task"));
        Assert.Empty(await log.GetByEntityAsync(new EntityRef("Task", "nope")));
        Assert.Empty(await log.GetByEntityAsync(new EntityRef("task", "task-1"))); // entity types are case-sensitive
    }

    [Fact]
    public async Task Order_is_by_sequence_even_when_times_tie_or_go_backwards()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        var appended = new List<ActivityRecord>();
        foreach (int minutes in new[] { 5, 5, 1, 5, 0 })
        {
            appended.Add(await AppendAsync(log, Record(occurredAt: Start.AddMinutes(minutes))));
        }

        Assert.Equal(appended, (await log.QueryAsync(ActivityQuery.ByActor(Alice) with { Order = ActivityOrder.OldestFirst })).Items);
        Assert.Equal(Enumerable.Reverse(appended), (await log.QueryAsync(ActivityQuery.ByActor(Alice))).Items);
    }

    [Theory]
    [InlineData(ActivityOrder.NewestFirst, 1)]
    [InlineData(ActivityOrder.NewestFirst, 3)]
    [InlineData(ActivityOrder.OldestFirst, 4)]
    [InlineData(ActivityOrder.OldestFirst, 10)]
    public async Task Cursor_paging_visits_every_record_once_without_an_empty_last_page(ActivityOrder order, int limit)
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        var mine = new List<ActivityRecord>();
        for (int i = 0; i < 10; i++)
        {
            mine.Add(await AppendAsync(log, Record(entity: TaskRef(1))));
            await AppendAsync(log, Record(entity: TaskRef(2)));
        }

        var seen = new List<ActivityRecord>();
        var query = new ActivityQuery { Entity = TaskRef(1), Limit = limit, Order = order };
        int pages = 0;
        while (true)
        {
            ActivityPage page = await log.QueryAsync(query);
            pages++;
            seen.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                break;
            }

            query = query with { Cursor = page.NextCursor };
        }

        Assert.Equal(order == ActivityOrder.OldestFirst ? mine : Enumerable.Reverse(mine), seen);
        Assert.Equal((int)Math.Ceiling(10.0 / limit), pages);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Since_is_inclusive_and_until_exclusive(bool outOfOrder)
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        int[] minutes = outOfOrder ? [40, 0, 10, 30, 20] : [0, 10, 20, 30, 40];
        foreach (int m in minutes)
        {
            await AppendAsync(log, Record(occurredAt: Start.AddMinutes(m), metadata: new Dictionary<string, object?> { ["m"] = m }));
        }

        var query = new ActivityQuery { ActorId = Alice, Since = Start.AddMinutes(10), Until = Start.AddMinutes(30), Order = ActivityOrder.OldestFirst, Limit = 1 };
        List<ActivityRecord> found = await AllAsync(log, query);

        Assert.Equal(minutes.Where(m => m is >= 10 and < 30), found.Select(r => (int)r.Metadata["m"]!));
    }

    [Fact]
    public async Task A_malformed_altered_or_foreign_cursor_is_an_argument_error()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        for (int i = 0; i < 3; i++)
        {
            await AppendAsync(log, Record());
        }

        string cursor = (await log.QueryAsync(ActivityQuery.ByActor(Alice, 1))).NextCursor!;
        char[] altered = cursor.ToCharArray();
        altered[3] = altered[3] == 'A' ? 'B' : 'A';

        foreach (ActivityQuery bad in new[]
        {
            ActivityQuery.ByActor(Alice, 1) with { Cursor = "garbage!" },
            ActivityQuery.ByActor(Alice, 1) with { Cursor = new string(altered) },
            ActivityQuery.ByOwner(Alice, 1) with { Cursor = cursor },
            ActivityQuery.ByActor(Alice, 1) with { Cursor = cursor, Order = ActivityOrder.OldestFirst },
        })
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await log.QueryAsync(bad));
            Assert.Equal("Cursor", ex.ParamName);
        }

        Assert.Equal(2, (await log.QueryAsync(ActivityQuery.ByActor(Alice, 10) with { Cursor = cursor })).Items.Count);
    }

    [Fact]
    public async Task Invalid_or_duplicate_records_are_rejected_and_the_log_is_unchanged()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord stored = await AppendAsync(log, Record());

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await log.AppendAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await log.AppendAsync(new ActivityRecord { RecordId = Guid.NewGuid(), ActorId = Alice, OwnerId = Alice, EntityRef = TaskRef(1) }));
        var duplicate = await Assert.ThrowsAsync<ArgumentException>(async () => await log.AppendAsync(stored));
        Assert.Equal("record", duplicate.ParamName);
        Assert.Contains("already in the log", duplicate.Message);
        await Assert.ThrowsAsync<ArgumentException>(async () => await log.QueryAsync(new ActivityQuery { Since = Start, Until = Start.AddDays(-1) }));

        Assert.Equal([stored], (await log.QueryAsync(new ActivityQuery())).Items);
    }

    [Fact]
    public async Task Every_metadata_value_type_round_trips_exactly()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        var guid = Guid.NewGuid();
        var metadata = new Dictionary<string, object?>
        {
            ["null"] = null,
            ["string"] = "tab\tquote\" é 😀",
            ["bool"] = true,
            ["sbyte"] = (sbyte)-8,
            ["byte"] = (byte)200,
            ["short"] = (short)-30000,
            ["ushort"] = (ushort)60000,
            ["int"] = int.MinValue,
            ["uint"] = uint.MaxValue,
            ["long"] = long.MaxValue,
            ["ulong"] = ulong.MaxValue,
            ["float"] = 0.1f,
            ["double"] = 1.0 / 3,
            ["decimal"] = 79228162514264337593543950335m,
            ["scaled"] = 3.250m,
            ["guid"] = guid,
            ["when"] = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(-5)).AddTicks(1234),
            ["date"] = new DateOnly(2026, 2, 28),
            ["time"] = new TimeOnly(23, 59, 59, 999).Add(TimeSpan.FromTicks(9)),
            ["enum"] = Priority.High,
            ["array"] = new object?[] { 1, "two", null, 3.5m, Priority.Low },
        };

        ActivityRecord stored = await AppendAsync(log, Record(metadata: metadata));
        ActivityRecord readBack = Assert.Single(await log.GetByActorAsync(Alice));
        IReadOnlyDictionary<string, object?> read = readBack.Metadata;

        Assert.Equal(stored, readBack); // records compare metadata by content, arrays element by element
        foreach ((string key, object? value) in read)
        {
            Assert.Equal(stored.Metadata[key]?.GetType(), value?.GetType());
        }

        Assert.Equal(TimeSpan.FromHours(-5), ((DateTimeOffset)read["when"]!).Offset);
        Assert.Equal("3.250", ((decimal)read["scaled"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(guid, read["guid"]);
        Assert.Equal("High", read["enum"]);
        Assert.Equal(new object?[] { 1, "two", null, 3.5m, "Low" }, ((ImmutableArray<object?>)read["array"]!).ToArray());
    }

    /// <summary>
    /// The leaf hash (docs/tamper-evidence.md) of the first record of a fresh log, identical in every adapter: pinned here,
    /// so a change to the encoding or to what an adapter stores cannot pass unnoticed.
    /// </summary>
    protected const string FirstRecordLeafHash = "026ab854e84422b8dd91a3e4f38eda7b4782af5c07886c9868e33deaf655b114";

    [Fact]
    public async Task The_same_record_has_the_same_canonical_bytes_and_leaf_hash_in_every_adapter()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord record = Record(
            actor: Bob,
            owner: Alice,
            entity: new EntityRef("Task", "ünïcode \"quoted\" 😀"),
            metadata: new Dictionary<string, object?>
            {
                ["zeta"] = "last key, first written\t\u0001\\",
                ["alpha"] = new object?[] { 1, "two", null, 3.50m, Priority.Low, 0.1, 2.5f },
                ["when"] = new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(-5)).AddTicks(1230),
                ["id"] = Guid.Parse("11111111-2222-4333-8444-555555555555"),
                ["date"] = new DateOnly(2026, 2, 28),
                ["time"] = new TimeOnly(23, 59, 59),
                ["big"] = ulong.MaxValue,
                ["nothing"] = null,
                ["yes"] = true,
            },
            occurredAt: new DateTimeOffset(2026, 1, 15, 10, 30, 0, 123, TimeSpan.FromHours(2)).AddTicks(4560)) with
        {
            RecordId = Guid.Parse("0192d0f4-0000-7000-8000-000000000001"),
            TraceId = "4bf92f3577b34da6a3ce929d0e0e4736",
            SpanId = "00f067aa0ba902b7",
        };

        ActivityRecord stored = await AppendAsync(log, record);
        ActivityRecord readBack = Assert.Single(await log.GetByActorAsync(Bob));
        Assert.Equal(1, stored.Sequence);
        Assert.Equal(Integrity.ActivityRecordEncoding.Encode(stored), Integrity.ActivityRecordEncoding.Encode(readBack));
        Assert.Equal(FirstRecordLeafHash, Convert.ToHexStringLower(Integrity.ActivityRecordEncoding.LeafHash(readBack)));
    }

    /// <summary>A record's changes with every kind, every value type, withheld and cut values, and hostile text.</summary>
    protected static IReadOnlyList<EntityChange> EveryKindOfChange() =>
    [
        new EntityChange(new EntityRef("Task", "7"), EntityChangeKind.Modified,
        [
            new PropertyChange("Title", "Draft", "Ship it"),
            new PropertyChange("Assignee", Guid.Parse("11111111-2222-4333-8444-555555555555"), null),
            PropertyChange.WithheldChange("PasswordHash"),
            new PropertyChange("Body", "aaaa", "bbbb") { Truncated = true },
            new PropertyChange("Address.City", "Zürich \"old\"\t\u0000", "Genève 😀"),
            new PropertyChange("Tags", new object?[] { "a", 1, null }, new object?[] { "b", 2.5m, Priority.High }),
            new PropertyChange("Priority", Priority.Low, Priority.High),
            new PropertyChange("Due", new DateOnly(2026, 2, 28), new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(-5))),
            new PropertyChange("Estimate", 0.1, 1.0 / 3),
            new PropertyChange("Count", long.MaxValue, ulong.MaxValue),
            new PropertyChange("Done", false, true),
        ]),
        new EntityChange(new EntityRef("Comment", "c-1"), EntityChangeKind.Added,
            [new PropertyChange("Text", null, "first!"), new PropertyChange("At", null, new TimeOnly(23, 59, 59))]),
        new EntityChange(new EntityRef("Attachment", "a-9"), EntityChangeKind.Deleted, [new PropertyChange("Name", "spec.pdf", null)]),
        new EntityChange(new EntityRef("Task", "8"), EntityChangeKind.Modified, []),
    ];

    [Fact]
    public async Task Changes_round_trip_exactly_and_a_record_without_changes_reads_back_with_none()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord with = await AppendAsync(log, Record(entity: new EntityRef("Task", "7")) with { Changes = EveryKindOfChange() });
        ActivityRecord without = await AppendAsync(log, Record(entity: new EntityRef("Task", "9")));

        ActivityRecord readWith = Assert.Single(await log.GetByEntityAsync(new EntityRef("Task", "7")));
        ActivityRecord readWithout = Assert.Single(await log.GetByEntityAsync(new EntityRef("Task", "9")));

        Assert.Equal(with, readWith); // changes compare by content, values and arrays element by element
        Assert.Equal(EveryKindOfChange(), readWith.Changes);
        Assert.Empty(readWithout.Changes);
        Assert.Equal(without, readWithout);
        PropertyChange city = readWith.Changes[0].Properties.Single(p => p.Name == "Address.City");
        Assert.Equal("Zürich \"old\"\t\u0000", city.OldValue);
        Assert.Equal(typeof(ulong), readWith.Changes[0].Properties.Single(p => p.Name == "Count").NewValue?.GetType());
        Assert.Equal("High", readWith.Changes[0].Properties.Single(p => p.Name == "Priority").NewValue);
        Assert.True(readWith.Changes[0].Properties.Single(p => p.Name == "PasswordHash").Withheld);
        Assert.True(readWith.Changes[0].Properties.Single(p => p.Name == "Body").Truncated);
        Assert.Equal(["Address.City", "Assignee", "Body", "Count", "Done", "Due", "Estimate", "PasswordHash", "Priority", "Tags", "Title"],
            readWith.Changes[0].Properties.Select(p => p.Name));
    }

    /// <summary>The leaf hash of <see cref="EveryKindOfChange"/>'s record (encoding version 2), identical in every adapter.</summary>
    protected const string RecordWithChangesLeafHash = "c69427fc112c2039ce0e4d2df02292009a7a9f94891a276600de3be391ef7b8b";

    [Fact]
    public async Task A_record_with_changes_has_the_same_canonical_bytes_and_leaf_hash_in_every_adapter()
    {
        IActivityLogRepo log = await CreateLogAsync(new FakeTimeProvider(Start));
        ActivityRecord record = Record(actor: Bob, owner: Alice, entity: new EntityRef("Task", "7"),
            occurredAt: new DateTimeOffset(2026, 1, 15, 10, 30, 0, 123, TimeSpan.Zero)) with
        {
            RecordId = Guid.Parse("0192d0f4-0000-7000-8000-000000000002"),
            Changes = EveryKindOfChange(),
        };

        ActivityRecord stored = await AppendAsync(log, record);
        ActivityRecord readBack = Assert.Single(await log.GetByActorAsync(Bob));
        byte[] bytes = Integrity.ActivityRecordEncoding.Encode(readBack);
        Assert.Equal(Integrity.ActivityRecordEncoding.Encode(stored), bytes);
        Assert.Equal(Integrity.ActivityRecordEncoding.VersionWithChanges, bytes[0]);
        Assert.Equal(RecordWithChangesLeafHash, Convert.ToHexStringLower(Integrity.ActivityRecordEncoding.LeafHash(readBack)));

        // The same record without its changes is a version 1 record with another leaf: dropping changes is seen.
        ActivityRecord stripped = readBack with { Changes = [] };
        Assert.Equal(Integrity.ActivityRecordEncoding.Version, Integrity.ActivityRecordEncoding.Encode(stripped)[0]);
        Assert.NotEqual(Integrity.ActivityRecordEncoding.LeafHash(stripped), Integrity.ActivityRecordEncoding.LeafHash(readBack));
    }

    [Fact]
    public async Task An_entitys_state_at_a_point_in_time_is_rebuilt_from_its_changes_complete_or_partial()
    {
        var clock = new FakeTimeProvider(Start);
        IActivityLogRepo log = await CreateLogAsync(clock);
        var task = new EntityRef("Task", "41");
        var legacy = new EntityRef("Task", "42");
        async Task AtAsync(int minute, EntityRef entity, params EntityChange[] changes) =>
            await AppendAsync(log, Record(entity: entity, occurredAt: Start.AddMinutes(minute)) with { Changes = changes });

        await AtAsync(1, task, new EntityChange(task, EntityChangeKind.Added,
            [new PropertyChange("Title", null, "Draft"), new PropertyChange("Done", null, false), PropertyChange.WithheldChange("Secret")]));
        await AtAsync(2, legacy); // a record without changes: no effect on the state
        await AtAsync(3, task, new EntityChange(task, EntityChangeKind.Modified, [new PropertyChange("Title", "Draft", "Ship it")]),
            new EntityChange(new EntityRef("Task", "43"), EntityChangeKind.Added, [new PropertyChange("Title", null, "someone else")]));
        await AtAsync(5, task, new EntityChange(task, EntityChangeKind.Modified, [new PropertyChange("Done", false, true)]));
        await AtAsync(7, task, new EntityChange(task, EntityChangeKind.Deleted, [new PropertyChange("Title", "Ship it", null)]));
        await AtAsync(4, legacy, new EntityChange(legacy, EntityChangeKind.Modified, [new PropertyChange("Title", "Old", "New")]));

        Assert.Null(await log.GetEntityStateAsync(task, Start)); // nothing recorded yet

        ActivityEntityState first = (await log.GetEntityStateAsync(task, Start.AddMinutes(1)))!; // inclusive: the addition counts
        Assert.True(first.IsComplete);
        Assert.False(first.IsDeleted);
        Assert.Equal(new Dictionary<string, object?> { ["Done"] = false, ["Title"] = "Draft" }, first.Properties);
        Assert.Equal(["Secret"], first.Withheld);

        ActivityEntityState later = (await log.GetEntityStateAsync(task, Start.AddMinutes(6)))!;
        Assert.Equal(new Dictionary<string, object?> { ["Done"] = true, ["Title"] = "Ship it" }, later.Properties);
        Assert.Equal(Start.AddMinutes(6), later.At);

        ActivityEntityState gone = (await log.GetEntityStateAsync(task, Start.AddHours(1)))!;
        Assert.True(gone.IsDeleted);
        Assert.Empty(gone.Properties);

        ActivityEntityState partial = (await log.GetEntityStateAsync(legacy, Start.AddHours(1)))!; // its creation was never recorded
        Assert.False(partial.IsComplete);
        Assert.Equal(new Dictionary<string, object?> { ["Title"] = "New" }, partial.Properties);
        Assert.Empty((await log.GetEntityStateAsync(legacy, Start.AddMinutes(3)))!.Properties); // only the change-less record by then

        await Assert.ThrowsAsync<ArgumentException>(async () => await log.GetEntityStateAsync(new EntityRef("", "1"), Start));
    }

    [Fact]
    public async Task An_entitys_state_holds_each_kind_of_value_as_recorded_and_ignores_other_entities_and_old_values()
    {
        var clock = new FakeTimeProvider(Start);
        IActivityLogRepo log = await CreateLogAsync(clock);
        var task = new EntityRef("Task", "7");
        var id = Guid.Parse("3f2c9a4e-0000-4000-8000-000000000007");
        var due = new DateTimeOffset(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);
        await AppendAsync(log, Record(entity: task, occurredAt: Start.AddMinutes(1)) with
        {
            Changes =
            [
                new EntityChange(new EntityRef("Task", "70"), EntityChangeKind.Added, [new PropertyChange("Title", null, "not this one")]),
                new EntityChange(task, EntityChangeKind.Added,
                [
                    new PropertyChange("Title", null, "Draft \"quoted\" é"), new PropertyChange("Count", null, 5), new PropertyChange("Big", null, 7_000_000_000L),
                    new PropertyChange("Price", null, 1.50m), new PropertyChange("Ratio", null, 0.25), new PropertyChange("Owner", null, id),
                    new PropertyChange("Due", null, due), new PropertyChange("Tags", null, new object?[] { "a", "b" }), new PropertyChange("Note", null, null),
                    new PropertyChange("Done", null, true),
                ]),
            ],
        });
        await AppendAsync(log, Record(entity: task, occurredAt: Start.AddMinutes(2)) with
        {
            Changes = [new EntityChange(task, EntityChangeKind.Modified, [new PropertyChange("Count", 5, 6), new PropertyChange("Title", "Draft \"quoted\" é", "Ship it")])],
        });

        ActivityEntityState state = (await log.GetEntityStateAsync(task, Start.AddHours(1)))!;

        Assert.Equal(
            new Dictionary<string, object?>
            {
                ["Big"] = 7_000_000_000L,
                ["Count"] = 6,
                ["Done"] = true,
                ["Due"] = due,
                ["Note"] = null,
                ["Owner"] = id,
                ["Price"] = 1.50m,
                ["Ratio"] = 0.25,
                ["Tags"] = new object?[] { "a", "b" },
                ["Title"] = "Ship it",
            },
            state.Properties);
        Assert.Equal(["Big", "Count", "Done", "Due", "Note", "Owner", "Price", "Ratio", "Tags", "Title"], state.Properties.Keys);
        Assert.True(state.IsComplete);
    }

    [Fact]
    public async Task A_summary_counts_an_actors_or_an_owners_records_per_action_within_the_window_most_first()
    {
        var clock = new FakeTimeProvider(Start);
        IActivityLogRepo log = await CreateLogAsync(clock);
        var appended = new List<ActivityRecord>();
        string[] actions = ["create_task", "update_task", "update_task", "complete_task", "update_task", "delete_task", "create_task"];
        for (int i = 0; i < 21; i++)
        {
            appended.Add(await AppendAsync(log, Record(actions[i % actions.Length], actor: i % 3 == 0 ? Bob : Alice, owner: i % 2 == 0 ? Alice : Bob)));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        static ActivitySummary Expected(IEnumerable<ActivityRecord> records) =>
            ActivitySummary.From(records.GroupBy(r => r.Action).Select(g => new ActivityActionCount(g.Key, g.LongCount())));

        static void Same(ActivitySummary expected, ActivitySummary actual)
        {
            Assert.Equal(expected.Total, actual.Total);
            Assert.Equal(expected.Actions, actual.Actions);
        }

        Same(Expected(appended.Where(r => r.ActorId == Alice)), await log.SummarizeAsync(ActivitySummaryQuery.ByActor(Alice)));
        Same(Expected(appended.Where(r => r.OwnerId == Bob)), await log.SummarizeAsync(ActivitySummaryQuery.ByOwner(Bob)));

        DateTimeOffset since = Start.AddMinutes(5), until = Start.AddMinutes(15);
        Same(Expected(appended.Where(r => r.ActorId == Alice && r.OccurredAt >= since && r.OccurredAt < until)),
            await log.SummarizeAsync(ActivitySummaryQuery.ByActor(Alice, since, until)));

        ActivitySummary alice = await log.SummarizeAsync(ActivitySummaryQuery.ByActor(Alice));
        Assert.Equal("update_task", alice.Actions[0].Action); // most first; ties by name
        Assert.True(alice.Actions.Zip(alice.Actions.Skip(1)).All(p => p.First.Count > p.Second.Count ||
            (p.First.Count == p.Second.Count && string.CompareOrdinal(p.First.Action, p.Second.Action) < 0)));

        Assert.Equal(0, (await log.SummarizeAsync(ActivitySummaryQuery.ByActor(Guid.NewGuid()))).Total);
        Assert.Equal("ActorId", (await Assert.ThrowsAsync<ArgumentException>(async () => await log.SummarizeAsync(new ActivitySummaryQuery()))).ParamName);
        Assert.Equal("ActorId", (await Assert.ThrowsAsync<ArgumentException>(async () =>
            await log.SummarizeAsync(new ActivitySummaryQuery { ActorId = Alice, OwnerId = Bob }))).ParamName);
        Assert.Equal("Since", (await Assert.ThrowsAsync<ArgumentException>(async () =>
            await log.SummarizeAsync(ActivitySummaryQuery.ByActor(Alice, until, since)))).ParamName);
    }

    [Fact]
    public async Task Concurrent_single_appends_each_get_their_own_record_and_a_refused_one_fails_only_its_caller()
    {
        IActivityLogRepo log = await CreateLogAsync(TimeProvider.System);
        ActivityRecord existing = await AppendAsync(log, Record());
        const int Callers = 64, Refused = 31;
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<AppendResult>[] calls = [.. Enumerable.Range(0, Callers).Select(i => Task.Run(async () =>
        {
            await go.Task;
            ActivityRecord record = i == Refused ? Record() with { RecordId = existing.RecordId } : Record(entity: TaskRef(i));
            return await log.AppendAsync(record);
        }))];
        go.SetResult();

        var sequences = new HashSet<long> { existing.Sequence };
        for (int i = 0; i < Callers; i++)
        {
            if (i == Refused)
            {
                ArgumentException refused = await Assert.ThrowsAnyAsync<ArgumentException>(() => calls[i]);
                Assert.Equal("record", refused.ParamName);
                continue;
            }

            ActivityRecord stored = (await calls[i]).Record!;
            Assert.Equal(TaskRef(i), stored.EntityRef); // each caller gets its own record back
            Assert.True(sequences.Add(stored.Sequence));
            Assert.True(stored.Sequence > existing.Sequence);
        }

        List<ActivityRecord> all = await AllAsync(log, new ActivityQuery { ActorId = Alice, Limit = 1000, Order = ActivityOrder.OldestFirst });
        Assert.Equal(Callers, all.Count); // the existing one and 63 new ones: the refused one left nothing behind
        Assert.Equal(all.Select(r => r.RecordId).Distinct().Count(), all.Count);
    }

    [Fact]
    public async Task Eight_writers_and_a_paging_reader_every_record_found_exactly_once_in_every_index_order()
    {
        IActivityLogRepo log = await CreateLogAsync(TimeProvider.System);
        const int writers = 8;
        int perWriter = AppendsPerWriter;
        Guid[] actors = [.. Enumerable.Range(0, writers).Select(_ => Guid.NewGuid())];
        Guid owner = Guid.NewGuid();
        using var done = new CancellationTokenSource();

        Task reader = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                long previous = long.MaxValue;
                var query = ActivityQuery.ByOwner(owner, 500);
                while (!done.IsCancellationRequested)
                {
                    ActivityPage page = await log.QueryAsync(query);
                    foreach (ActivityRecord r in page.Items)
                    {
                        Assert.True(r.Sequence < previous, "pages must go strictly backwards without repeats");
                        previous = r.Sequence;
                    }

                    if (page.NextCursor is null)
                    {
                        break;
                    }

                    query = query with { Cursor = page.NextCursor };
                }
            }
        });

        await Task.WhenAll(actors.Select((actor, w) => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                await log.AppendAsync(ActivityRecord.Create(actor, owner, i % 2 == 0 ? "even" : "odd", TaskRef((w * perWriter + i) % 97)));
            }
        })));
        await done.CancelAsync();
        await reader;

        int total = writers * perWriter;
        List<ActivityRecord> byOwner = await AllAsync(log, ActivityQuery.ByOwner(owner, 1000) with { Order = ActivityOrder.OldestFirst });
        Assert.Equal(total, byOwner.Count);
        Assert.Equal(total, byOwner.Select(r => r.RecordId).Distinct().Count());
        Assert.True(byOwner.Zip(byOwner.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence));

        foreach (Guid actor in actors)
        {
            List<ActivityRecord> mine = await AllAsync(log, ActivityQuery.ByActor(actor, 1000));
            Assert.Equal(perWriter, mine.Count);
            Assert.Equal(perWriter, mine.Select(r => r.RecordId).Distinct().Count());
        }

        int byAction = (await AllAsync(log, ActivityQuery.ByAction("even", 1000))).Count + (await AllAsync(log, ActivityQuery.ByAction("odd", 1000))).Count;
        Assert.Equal(total, byAction);

        int byEntity = 0;
        for (int e = 0; e < 97; e++)
        {
            byEntity += (await AllAsync(log, ActivityQuery.ByEntity(TaskRef(e), 1000))).Count;
        }

        Assert.Equal(total, byEntity);
    }
}
