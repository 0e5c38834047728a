using System.Text;
using System.Text.Json;
using AuditGen.Storage;

namespace AuditGen.Tests;

public sealed class ActivityMetadataJsonTests
{
    private static readonly IReadOnlyDictionary<string, object?> Every = ActivityRecord.Create(
        Guid.NewGuid(), Guid.NewGuid(), "edit", new EntityRef("Task", "1"), new Dictionary<string, object?>
        {
            ["s"] = "text",
            ["b"] = true,
            ["i1"] = (sbyte)-1,
            ["u1"] = (byte)1,
            ["i2"] = (short)-2,
            ["u2"] = (ushort)2,
            ["i4"] = -4,
            ["u4"] = 4u,
            ["i8"] = -8L,
            ["u8"] = 8ul,
            ["f4"] = 0.5f,
            ["f8"] = 0.25,
            ["m"] = 1.10m,
            ["g"] = Guid.Parse("0190f2a4-8b1c-7d3e-9f00-3c4d5e6f7a8b"),
            ["o"] = new DateTimeOffset(2024, 1, 15, 14, 22, 0, TimeSpan.FromHours(2)),
            ["d"] = new DateOnly(2024, 1, 15),
            ["t"] = new TimeOnly(14, 22),
            ["n"] = null,
            ["a"] = new object?[] { "x", 1, null },
        }).Metadata;

    private static string OneLine(string text) => text.ReplaceLineEndings("");

    /// <summary>The storage form is a file format: rows written by earlier versions must read back the same.</summary>
    [Fact]
    public void Serialize_writes_the_documented_tagged_form()
    {
        Assert.Equal(
            OneLine("""
                {"a":["a",[["s","x"],["i4",1],null]],"b":["b",true],"d":["d","2024-01-15"],"f4":["f4",0.5],"f8":["f8",0.25],
                "g":["g","0190f2a4-8b1c-7d3e-9f00-3c4d5e6f7a8b"],"i1":["i1",-1],"i2":["i2",-2],"i4":["i4",-4],"i8":["i8",-8],"m":["m","1.10"],"n":null,
                "o":["o","2024-01-15T14:22:00.0000000\u002B02:00"],"s":["s","text"],"t":["t","14:22:00.0000000"],"u1":["u1",1],"u2":["u2",2],"u4":["u4",4],"u8":["u8",8]}
                """),
            ActivityMetadataJson.Serialize(Every));
        Assert.True(Every.Equals(ActivityMetadataJson.Deserialize(ActivityMetadataJson.Serialize(Every))), "round trip");
    }

    [Fact]
    public void WritePlain_writes_values_as_themselves()
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            ActivityMetadataJson.WritePlain(writer, Every);
        }

        Assert.Equal(
            OneLine("""
                {"a":["x",1,null],"b":true,"d":"2024-01-15","f4":0.5,"f8":0.25,"g":"0190f2a4-8b1c-7d3e-9f00-3c4d5e6f7a8b",
                "i1":-1,"i2":-2,"i4":-4,"i8":-8,"m":1.10,"n":null,"o":"2024-01-15T14:22:00+02:00","s":"text","t":"14:22:00.0000000",
                "u1":1,"u2":2,"u4":4,"u8":8}
                """),
            Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact]
    public void Both_forms_refuse_a_value_that_metadata_cannot_hold()
    {
        var foreign = new Dictionary<string, object?> { ["x"] = new Uri("https://example.com") };
        using var writer = new Utf8JsonWriter(new MemoryStream());

        Assert.Throws<ArgumentException>(() => ActivityMetadataJson.Serialize(foreign));
        Assert.Throws<ArgumentException>(() => ActivityMetadataJson.WritePlain(writer, foreign));
    }

    [Theory]
    [InlineData("""{"a":["zz",1]}""")]           // an unknown tag
    [InlineData("""{"a":["s"]}""")]              // a tag without its value
    [InlineData("""{"a":["i4","seven"]}""")]     // a value of another type than its tag
    [InlineData("""{"a":["s","x","y"]}""")]      // more than two elements
    [InlineData("""{"a":"bare"}""")]             // not [tag, value]
    [InlineData("""{"a":["a",[["s"]]]}""")]      // a broken item of an array
    [InlineData("""{"a":["m","1,5"]}""")]        // a decimal that is not exact text
    [InlineData("""{"a":["x","not sealed"]}""")] // a sealed value that is not subject:key:base64
    public void Stored_values_that_break_the_tag_rules_are_format_errors_naming_the_stored_metadata(string json)
    {
        FormatException metadata = Assert.Throws<FormatException>(() => ActivityMetadataJson.Deserialize(json));
        Assert.StartsWith("Stored metadata is not valid tagged JSON", metadata.Message, StringComparison.Ordinal);

        string value = json[5..^1]; // the same value as a change's new value
        FormatException changes = Assert.Throws<FormatException>(() => ActivityChangesJson.Deserialize(
            $$"""[{"type":"Task","id":"7","kind":"modified","properties":[{"name":"Title","new":{{value}}}]}]"""));
        Assert.StartsWith("Stored changes are not valid tagged changes JSON", changes.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""null""")]                     // not an object
    [InlineData("""["s","x"]""")]                // a value, not an object of them
    [InlineData("""{"a":["s","x"]}{}""")]        // more than one object
    [InlineData("""{"a":["s","x"]""")]           // cut short
    public void Stored_metadata_that_is_not_one_object_is_a_format_error_as_text_and_as_bytes(string json)
    {
        Assert.StartsWith("Stored metadata is not valid tagged JSON", Assert.Throws<FormatException>(() => ActivityMetadataJson.Deserialize(json)).Message, StringComparison.Ordinal);
        Assert.StartsWith("Stored metadata is not valid tagged JSON",
            Assert.Throws<FormatException>(() => ActivityMetadataJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_a_format_error_and_the_bytes_form_reads_what_the_text_form_reads()
    {
        byte[] broken = [.. """{"a":["s","""u8, (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)']', (byte)'}'];
        Assert.Throws<FormatException>(() => ActivityMetadataJson.Deserialize(broken));

        string json = ActivityMetadataJson.Serialize(ActivityRecord.Create(Guid.NewGuid(), Guid.NewGuid(), "a", new EntityRef("T", "1"),
            new Dictionary<string, object?> { ["title"] = "Write docs", ["n"] = 3, ["tags"] = new object?[] { "a", null } }).Metadata);
        Assert.Equal(json, ActivityMetadataJson.Serialize(ActivityMetadataJson.Deserialize(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Empty(ActivityMetadataJson.Deserialize("{}"u8));
        Assert.Empty(ActivityMetadataJson.Deserialize(ReadOnlySpan<byte>.Empty));
    }
}

