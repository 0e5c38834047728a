using System.Collections.Immutable;
using AuditGen.Integrity;
using AuditGen.Storage;
using static AuditGen.Tests.TestData;

namespace AuditGen.Tests;

/// <summary>
/// <see cref="ActivityRecord.Changes"/>: immutable, validated copies with the rules of each kind, value equality, the
/// storage JSON and the canonical form bound into the leaf.
/// </summary>
public sealed class EntityChangeTests
{
    private enum Status { Open, Done }

    private static readonly EntityRef Task7 = new("Task", "7");

    private static EntityChange Modified(params PropertyChange[] properties) => new(Task7, EntityChangeKind.Modified, properties);

    [Fact]
    public void A_record_holds_a_copy_its_caller_cannot_change_afterwards()
    {
        var properties = new List<PropertyChange> { new("Title", "Draft", "Ship it") };
        object?[] tags = ["a", "b"];
        var changes = new List<EntityChange> { new(Task7, EntityChangeKind.Modified, properties), new(TaskRef(2), EntityChangeKind.Added, [new("Tags", null, tags)]) };

        ActivityRecord record = Record() with { Changes = changes };
        properties.Add(new PropertyChange("Body", "x", "y"));
        changes.Clear();
        tags[0] = "changed";

        Assert.Equal(2, record.Changes.Count);
        Assert.Single(record.Changes[0].Properties);
        Assert.Equal(new object?[] { "a", "b" }, ((ImmutableArray<object?>)record.Changes[1].Properties[0].NewValue!).ToArray());
        Assert.Empty(Record().Changes); // none unless captured
    }

    [Fact]
    public void The_lists_a_record_hands_out_are_one_instance_each_and_a_copy_passes_them_on_without_copying()
    {
        // Read on every append (encoding, storage JSON, sealing): a list boxed or copied per read would allocate each time.
        EntityChange change = Modified(new PropertyChange("Title", "Draft", "Ship it"));
        ActivityRecord record = Record() with { Changes = [change] };
        ActivityRecord copy = record with { Changes = record.Changes };

        Assert.Same(record.Changes, record.Changes);
        Assert.Same(record.Changes, copy.Changes);
        Assert.Same(change.Properties, change.Properties);
        Assert.Same(change.Properties, (change with { Properties = change.Properties }).Properties);
        Assert.Same(Record().Changes, Record().Changes); // the empty list is shared
    }

    [Fact]
    public void Properties_are_kept_in_ordinal_order_and_values_are_normalized_like_metadata()
    {
        EntityChange change = Modified(new PropertyChange("b", Status.Open, Status.Done), new PropertyChange("B", 1, 2), new PropertyChange("a", null, new[] { 1, 2 }));

        Assert.Equal(["B", "a", "b"], change.Properties.Select(p => p.Name));
        Assert.Equal("Done", change.Properties[2].NewValue);
        Assert.IsType<ImmutableArray<object?>>(change.Properties[1].NewValue);
    }

    [Fact]
    public void Equality_is_by_content_so_a_change_read_back_equals_the_one_appended()
    {
        ActivityRecord a = Record() with { Changes = [Modified(new PropertyChange("Tags", new object?[] { "a" }, new object?[] { "a", 1 }))] };
        ActivityRecord b = a with { Changes = [Modified(new PropertyChange("Tags", new object?[] { "a" }, new object?[] { "a", 1 }))] };
        ActivityRecord other = a with { Changes = [Modified(new PropertyChange("Tags", new object?[] { "a" }, new object?[] { "a", 2 }))] };

        Assert.Equal(a, b);
        Assert.Equal(a.Changes[0].GetHashCode(), b.Changes[0].GetHashCode());
        Assert.NotEqual(a, other);
        Assert.NotEqual(a, a with { Changes = [] });
        Assert.Contains("Title", Modified(new PropertyChange("Title", "Draft", "Ship it")).ToString());
    }

    public static TheoryData<string, Func<object>> Invalid() => new()
    {
        { "Properties", () => Modified(new PropertyChange("Title", "a", "b"), new PropertyChange("Title", "c", "d")) },
        { "Properties", () => new EntityChange(Task7, EntityChangeKind.Added, [new PropertyChange("Title", "old", "new")]) },
        { "Properties", () => new EntityChange(Task7, EntityChangeKind.Deleted, [new PropertyChange("Title", "old", "new")]) },
        { "Properties", () => Modified(new PropertyChange("Title", "same", "same")) },
        { "Properties", () => new EntityChange(Task7, EntityChangeKind.Modified, [null!]) },
        { "Properties", () => new EntityChange(Task7, EntityChangeKind.Modified, null!) },
        { "Kind", () => new EntityChange(Task7, (EntityChangeKind)7, []) },
        { "Entity", () => new EntityChange(new EntityRef("Task", ""), EntityChangeKind.Modified, []) },
        { "Name", () => new PropertyChange("", 1, 2) },
        { "Name", () => new PropertyChange(new string('x', PropertyChange.MaxNameLength + 1), 1, 2) },
        { "Name", () => new PropertyChange("Tit\nle", 1, 2) },
        { "OldValue", () => new PropertyChange("At", DateTime.UtcNow, null) },
        { "NewValue", () => new PropertyChange("Ratio", null, double.NaN) },
        { "NewValue", () => new PropertyChange("Self", null, new object()) },
        { "Withheld", () => new PropertyChange("PasswordHash", "old-hash", "new-hash") { Withheld = true } },
        { "NewValue", () => PropertyChange.WithheldChange("PasswordHash") with { NewValue = "leak" } },
        { "Changes", () => Record() with { Changes = [Modified(), Modified()] } },
        { "Changes", () => Record() with { Changes = [null!] } },
        { "Changes", () => Record() with { Changes = null! } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Each_rule_is_an_argument_error_naming_the_field(string field, Func<object> create)
    {
        ArgumentException error = Assert.ThrowsAny<ArgumentException>(create);
        Assert.Equal(field, error.ParamName);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_modified_property_may_keep_equal_values_only_when_withheld_or_cut()
    {
        Assert.True(Modified(PropertyChange.WithheldChange("Token")).Properties[0].Withheld);
        Assert.True(Modified(new PropertyChange("Body", "aaa", "aaa") { Truncated = true }).Properties[0].Truncated);
    }

    [Fact]
    public void The_storage_json_round_trips_and_the_plain_json_is_the_apis_shape()
    {
        IReadOnlyList<EntityChange> changes =
        [
            Modified(new PropertyChange("Title", "Draft", "Ship it"), PropertyChange.WithheldChange("PasswordHash")),
            new EntityChange(TaskRef(2), EntityChangeKind.Added, [new PropertyChange("Due", null, new DateOnly(2026, 3, 1))]),
        ];

        string stored = ActivityChangesJson.Serialize(changes)!;
        Assert.Equal(changes, ActivityChangesJson.Deserialize(stored));
        Assert.Null(ActivityChangesJson.Serialize([]));
        Assert.Empty(ActivityChangesJson.Deserialize((string?)null));
        Assert.Empty(ActivityChangesJson.Deserialize(ReadOnlySpan<byte>.Empty));
        Assert.Throws<FormatException>(() => ActivityChangesJson.Deserialize("""[{"type":"Task","id":"7","kind":"renamed","properties":[]}]"""));
        Assert.Throws<FormatException>(() => ActivityChangesJson.Deserialize("""[{"type":"Task","id":"7","kind":"added","properties":[{"name":"X","old":["s","a"]}]}]"""));

        using var stream = new MemoryStream();
        using (var writer = new System.Text.Json.Utf8JsonWriter(stream))
        {
            ActivityChangesJson.WritePlain(writer, changes);
        }

        Assert.Equal(
            """[{"entity":"Task#7","kind":"modified","properties":[{"name":"PasswordHash","withheld":true},{"name":"Title","old":"Draft","new":"Ship it"}]},""" +
            """{"entity":"Task#task-2","kind":"added","properties":[{"name":"Due","new":"2026-03-01"}]}]""",
            System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Stored_changes_read_in_one_pass_whatever_the_member_order_and_refuse_what_is_not_theirs()
    {
        // A store may hand members back in another order (PostgreSQL's jsonb orders keys by length), and a later
        // version may add members: both read as written.
        const string reordered = """[{"id":"7","kind":"modified","x-later":{"a":[1,2]},"properties":[{"new":["s","Ship it"],"old":["s","Draft"],"name":"Title"},{"withheld":true,"name":"PasswordHash"}],"type":"Task"}]""";
        IReadOnlyList<EntityChange> expected = [Modified(new PropertyChange("Title", "Draft", "Ship it"), PropertyChange.WithheldChange("PasswordHash"))];

        Assert.Equal(expected, ActivityChangesJson.Deserialize(reordered));
        Assert.Equal(expected, ActivityChangesJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(reordered)));
        Assert.Equal(expected, ActivityChangesJson.Deserialize(ActivityChangesJson.Serialize(expected)));

        foreach (string broken in new[]
        {
            """{"type":"Task"}""", // not an array
            """[{"id":"7","kind":"modified","properties":[]}]""", // no type
            """[{"type":"Task","id":"7","kind":"modified","properties":[{"old":["s","a"],"new":["s","b"]}]}]""", // a property without a name
            """[{"type":"Task","id":"7","kind":"modified","properties":[{"name":"A","old":["s","a"]""", // cut short
            """[{"type":"Task","id":"7","kind":"added","properties":[]}] []""", // two values
            """[1]""", // not an entity change
        })
        {
            FormatException error = Assert.Throws<FormatException>(() => ActivityChangesJson.Deserialize(broken));
            Assert.StartsWith("Stored changes are not valid tagged changes JSON", error.Message, StringComparison.Ordinal);
        }

        Assert.Contains("'type'", Assert.Throws<FormatException>(() => ActivityChangesJson.Deserialize("""[{"id":"7","kind":"modified","properties":[]}]""")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_canonical_form_is_the_documented_one()
    {
        IReadOnlyList<EntityChange> changes =
        [
            Modified(new PropertyChange("Title", "Dr\"aft", "Ship it"), PropertyChange.WithheldChange("PasswordHash"), new PropertyChange("Body", "ab", "cd") { Truncated = true }),
            new EntityChange(TaskRef(2), EntityChangeKind.Deleted, [new PropertyChange("Tags", new object?[] { 1, null }, null)]),
        ];

        Assert.Equal(
            """[["Task","7","modified",[["Body","t",["s","ab"],["s","cd"]],["PasswordHash","w",null,null],["Title","",["s","Dr\"aft"],["s","Ship it"]]]],""" +
            """["Task","task-2","deleted",[["Tags","",["a",[["i4","1"],null]],null]]]]""",
            ActivityRecordEncoding.CanonicalChangesJson(changes));
    }

    [Fact]
    public void A_record_without_changes_keeps_version_1_bytes_and_one_with_changes_is_version_2()
    {
        ActivityRecord plain = (Record() with { OccurredAt = Start }).WithSequence(3);
        ActivityRecord changed = plain with { Changes = [Modified(new PropertyChange("Title", "a", "b"))] };

        byte[] v1 = ActivityRecordEncoding.Encode(plain);
        byte[] v2 = ActivityRecordEncoding.Encode(changed);
        Assert.Equal(ActivityRecordEncoding.Version, v1[0]);
        Assert.Equal(ActivityRecordEncoding.VersionWithChanges, v2[0]);
        Assert.Equal(v1.AsSpan(1).ToArray(), v2.AsSpan(1, v1.Length - 1).ToArray()); // version 1's fields, then the changes
        Assert.NotEqual(ActivityRecordEncoding.LeafHash(changed), ActivityRecordEncoding.LeafHash(changed with
        {
            Changes = [Modified(new PropertyChange("Title", "A", "b"))], // an old value edited
        }));
    }
}
