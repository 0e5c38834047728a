using System.Collections.Immutable;
using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

public class ActivityRecordTests
{
    private enum Priority { Low, High }

    [Flags]
    private enum Access { None = 0, Read = 1, Write = 2 }

    private static object?[] Items(object? value) => [.. Assert.IsType<ImmutableArray<object?>>(value)];

    [Fact]
    public void EntityRef_from_guid_formats_D_and_prints_type_hash_id()
    {
        var id = Guid.Parse("3f2c8d1a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
        var entity = new EntityRef("Task", id);

        Assert.Equal("3f2c8d1a-1b2c-4d5e-8f90-a1b2c3d4e5f6", entity.EntityId);
        Assert.Equal("Task#3f2c8d1a-1b2c-4d5e-8f90-a1b2c3d4e5f6", entity.ToString());
        Assert.Equal(new EntityRef("Task", id.ToString("D")), entity);
    }

    [Fact]
    public void Create_sets_every_field_and_a_version_7_record_id()
    {
        var record = ActivityRecord.Create(Alice, Bob, "create_task", TaskRef(1), new Dictionary<string, object?> { ["title"] = "Write docs" });

        Assert.Equal(Alice, record.ActorId);
        Assert.Equal(Bob, record.OwnerId);
        Assert.Equal("create_task", record.Action);
        Assert.Equal(TaskRef(1), record.EntityRef);
        Assert.Equal("Write docs", record.Metadata["title"]);
        Assert.Equal(0, record.Sequence);
        Assert.Equal(default, record.OccurredAt); // stamped on append
        Assert.Equal(7, record.RecordId.ToByteArray(bigEndian: true)[6] >> 4);
        Assert.NotEqual(record.RecordId, Record().RecordId);
    }

    [Fact]
    public void OccurredAt_is_kept_as_utc()
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));

        ActivityRecord record = Record(occurredAt: local);

        Assert.Equal(TimeSpan.Zero, record.OccurredAt.Offset);
        Assert.Equal(local.UtcDateTime, record.OccurredAt.UtcDateTime);
        Assert.Equal(TimeSpan.Zero, (record with { OccurredAt = local }).OccurredAt.Offset);
    }

    [Fact]
    public void Metadata_is_deep_copied_so_mutating_the_input_changes_nothing_stored()
    {
        string[] tags = ["a", "b"];
        var input = new Dictionary<string, object?> { ["title"] = "first", ["tags"] = tags };

        ActivityRecord record = Record(metadata: input);
        input["title"] = "changed";
        input["extra"] = 1;
        tags[0] = "z";

        Assert.Equal("first", record.Metadata["title"]);
        Assert.False(record.Metadata.ContainsKey("extra"));
        Assert.Equal<object?>(["a", "b"], Items(record.Metadata["tags"]!));
        Assert.Equal(2, record.Metadata.Count);
    }

    [Fact]
    public void Metadata_cannot_be_mutated_through_the_interface_it_is_exposed_as()
    {
        ActivityRecord record = Record(metadata: new Dictionary<string, object?> { ["k"] = 1 });

        Assert.IsNotAssignableFrom<IDictionary<string, object?>>(record.Metadata);
        Assert.IsNotType<object?[]>(record.Metadata["k"]);
    }

    [Fact]
    public void Metadata_via_with_is_deep_copied_too()
    {
        var input = new Dictionary<string, object?> { ["n"] = 1 };
        ActivityRecord record = Record() with { Metadata = input };

        input["n"] = 2;

        Assert.Equal(1, record.Metadata["n"]);
    }

    [Fact]
    public void Metadata_keeps_every_supported_type_and_stores_enums_by_name()
    {
        var guid = Guid.NewGuid();
        var when = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5));
        var input = new Dictionary<string, object?>
        {
            ["null"] = null,
            ["string"] = "s",
            ["bool"] = true,
            ["sbyte"] = (sbyte)-1,
            ["byte"] = (byte)1,
            ["short"] = (short)2,
            ["ushort"] = (ushort)3,
            ["int"] = 4,
            ["uint"] = 5u,
            ["long"] = 6L,
            ["ulong"] = 7ul,
            ["float"] = 1.5f,
            ["double"] = 2.5,
            ["decimal"] = 3.25m,
            ["guid"] = guid,
            ["when"] = when,
            ["date"] = new DateOnly(2026, 1, 2),
            ["time"] = new TimeOnly(3, 4),
            ["enum"] = Priority.High,
            ["flags"] = Access.Read | Access.Write,
            ["ints"] = new[] { 1, 2 },
            ["mixed"] = new object?[] { "a", 1, null, Priority.Low },
        };

        IReadOnlyDictionary<string, object?> m = Record(metadata: input).Metadata;

        Assert.Null(m["null"]);
        Assert.IsType<sbyte>(m["sbyte"]);
        Assert.IsType<ushort>(m["ushort"]);
        Assert.IsType<ulong>(m["ulong"]);
        Assert.IsType<float>(m["float"]);
        Assert.Equal(3.25m, m["decimal"]);
        Assert.Equal(guid, m["guid"]);
        Assert.Equal(TimeSpan.FromHours(-5), ((DateTimeOffset)m["when"]!).Offset); // dates keep their offset
        Assert.Equal(new DateOnly(2026, 1, 2), m["date"]);
        Assert.Equal("High", m["enum"]);
        Assert.Equal("Read, Write", m["flags"]);
        Assert.Equal<object?>([1, 2], Items(m["ints"]!));
        Assert.Equal<object?>(["a", 1, null, "Low"], Items(m["mixed"]!));
        Assert.Equal(input.Keys.Order(StringComparer.Ordinal), m.Keys); // sorted, deterministic
    }

    [Fact]
    public void Metadata_from_a_stored_record_can_be_reused_and_extended()
    {
        ActivityRecord original = Record(metadata: new Dictionary<string, object?> { ["tags"] = new[] { "a" } });

        ActivityRecord copy = original with { Metadata = new Dictionary<string, object?>(original.Metadata) { ["more"] = true } };

        Assert.Same(original.Metadata, (original with { Action = "rename_task" }).Metadata); // immutable: shared, not copied
        Assert.Equal<object?>(["a"], Items(copy.Metadata["tags"]!));
        Assert.Equal(true, copy.Metadata["more"]);
    }

    [Fact]
    public void With_copies_are_validated()
    {
        ActivityRecord record = Record();

        var ex = Assert.Throws<ArgumentException>(() => record with { Action = "Create Task" });
        Assert.Equal("Action", ex.ParamName);
        Assert.Throws<ArgumentException>(() => record with { ActorId = Guid.Empty });
        Assert.Throws<ArgumentException>(() => record with { EntityRef = new EntityRef("Task", "") });
        Assert.Throws<ArgumentException>(() => record with { Metadata = new Dictionary<string, object?> { ["x"] = new List<object>() } });
    }

    [Fact]
    public void Validate_reports_the_missing_field_of_an_incomplete_record()
    {
        var incomplete = new ActivityRecord { RecordId = Guid.NewGuid(), ActorId = Alice, OwnerId = Alice, EntityRef = TaskRef(1) };

        var ex = Assert.Throws<ArgumentNullException>(incomplete.Validate);
        Assert.Contains("record.Action", ex.Message);
        Assert.Contains("record.RecordId", Assert.Throws<ArgumentException>(new ActivityRecord().Validate).Message);
    }

    [Fact]
    public void Records_are_equal_by_content_including_metadata()
    {
        ActivityRecord a = Record(metadata: new Dictionary<string, object?> { ["tags"] = new[] { "x" }, ["n"] = 1 });
        ActivityRecord b = a with { Metadata = new Dictionary<string, object?> { ["n"] = 1, ["tags"] = new[] { "x" } } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a with { Metadata = new Dictionary<string, object?> { ["n"] = 2, ["tags"] = new[] { "x" } } });
        Assert.NotEqual(a, a with { Metadata = new Dictionary<string, object?> { ["n"] = 1L, ["tags"] = new[] { "x" } } });
        Assert.NotEqual(a, a.WithSequence(1));
    }

    [Fact]
    public void ToString_shows_metadata_values()
    {
        string text = Record(metadata: new Dictionary<string, object?> { ["title"] = "Write docs", ["tags"] = new[] { 1, 2 } }).ToString();

        Assert.Contains("Metadata = { tags = [1, 2], title = \"Write docs\" }", text);
    }

    [Fact]
    public void WithSequence_rejects_positions_before_the_first()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Record().WithSequence(0));
        Assert.Equal(7, Record().WithSequence(7).Sequence);
    }
}

public class GuidV7Tests
{
    [Fact]
    public void Version_7_guids_carry_the_timestamp_version_and_variant_and_do_not_repeat()
    {
        var at = new DateTimeOffset(2026, 11, 26, 12, 0, 0, 123, TimeSpan.Zero);
        var seen = new HashSet<Guid>();
        for (int i = 0; i < 1_000; i++) // several refills of the random buffer
        {
            Guid guid = GuidV7.Create(at);
            byte[] bytes = guid.ToByteArray(bigEndian: true);
            long ms = ((long)bytes[0] << 40) | ((long)bytes[1] << 32) | ((long)bytes[2] << 24) | ((long)bytes[3] << 16) | ((long)bytes[4] << 8) | bytes[5];

            Assert.Equal(at.ToUnixTimeMilliseconds(), ms);
            Assert.Equal(7, bytes[6] >> 4);
            Assert.Equal(0b10, bytes[8] >> 6);
            Assert.True(seen.Add(guid));
        }
    }

    [Fact]
    public void Version_7_guids_sort_by_time()
    {
        var earlier = GuidV7.Create(TestData.Start);
        var later = GuidV7.Create(TestData.Start.AddMilliseconds(1));

        Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
    }
}
