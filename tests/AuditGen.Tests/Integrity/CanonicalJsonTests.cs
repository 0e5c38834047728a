using System.Text;
using AuditGen.Integrity;

namespace AuditGen.Tests.Integrity;

/// <summary>
/// The canonical JSON inside a record's leaf, written straight as UTF-8: every escape the encoding defines, text that is
/// not ASCII, and strings long enough to take the other paths of the writer, pinned character by character.
/// </summary>
public class CanonicalJsonTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    [Fact]
    public void Every_control_character_quote_and_backslash_is_escaped_and_nothing_else()
    {
        string controls = new([.. Enumerable.Range(0, 0x20).Select(c => (char)c)]);
        var metadata = new Dictionary<string, object?> { ["k"] = controls + "\"\\/é😀<>&'\u007f" };

        Assert.Equal(
            "{\"k\":[\"s\",\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f" +
            "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f" +
            "\\\"\\\\/é😀<>&'\u007f\"]}",
            ActivityRecordEncoding.CanonicalJson(metadata));
    }

    [Fact]
    public void A_records_own_metadata_and_any_dictionary_of_the_same_entries_give_the_same_text()
    {
        // The record's metadata is read in its stored (ordinal) order; any other dictionary is sorted first.
        var unsorted = new Dictionary<string, object?> { ["zeta"] = 1, ["Alpha"] = "a", ["alpha"] = true, ["é"] = null, ["_"] = 2.5m };
        ActivityRecord record = ActivityRecord.Create(Alice, Alice, "note", new EntityRef("Task", "1"), unsorted);

        Assert.Equal(ActivityRecordEncoding.CanonicalJson(unsorted), ActivityRecordEncoding.CanonicalJson(record.Metadata));
        Assert.Equal("""{"Alpha":["s","a"],"_":["m","2.5"],"alpha":["b","true"],"zeta":["i4","1"],"é":null}""", ActivityRecordEncoding.CanonicalJson(record.Metadata));
    }

    [Fact]
    public void Long_text_with_escapes_between_runs_of_every_width_encodes_as_the_whole_string_would()
    {
        // Runs longer and shorter than the writer's small-run limit, of one-, two-, three- and four-byte characters, cut by
        // escapes, beside a surrogate pair at every end of a run.
        string[] widths = ["a", "é", "ह", "😀"];
        string text = string.Concat(Enumerable.Range(0, 40).Select(i => string.Concat(Enumerable.Repeat(widths[i % 4], 1 + (i * 37 % 300))) + "😀\n\"😀"));
        string expected = "{\"long\":[\"s\",\"" + text.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"]}";

        Assert.Equal(expected, ActivityRecordEncoding.CanonicalJson(new Dictionary<string, object?> { ["long"] = text }));
    }

    [Fact]
    public void A_record_of_a_thousand_changes_encodes_with_its_length_prefixes_right()
    {
        EntityChange[] changes = [.. Enumerable.Range(1, 1_000).Select(i => new EntityChange(new EntityRef("Product", i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            EntityChangeKind.Modified, [new PropertyChange("Category", "c", "bulk"), new PropertyChange("Stock", i, i + 1)]))];
        ActivityRecord record = (ActivityRecord.Create(Alice, Alice, "restock", new EntityRef("Warehouse", "main")) with { Changes = changes }).WithSequence(9);

        byte[] bytes = ActivityRecordEncoding.Encode(record);
        string json = ActivityRecordEncoding.CanonicalChangesJson(changes);
        int length = Encoding.UTF8.GetByteCount(json);

        // The changes are the last field: a big-endian length, then exactly that many bytes of the canonical changes JSON.
        Assert.Equal((uint)length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(bytes.Length - length - 4)));
        Assert.Equal(json, Encoding.UTF8.GetString(bytes.AsSpan(bytes.Length - length)));
        Assert.StartsWith("[[\"Product\",\"1\",\"modified\",[[\"Category\",\"\",[\"s\",\"c\"],[\"s\",\"bulk\"]],[\"Stock\",\"\",[\"i4\",\"1\"],[\"i4\",\"2\"]]]],", json, StringComparison.Ordinal);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([0, .. bytes]), ActivityRecordEncoding.LeafHash(record));
    }
}
