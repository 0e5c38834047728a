using System.Security.Cryptography;
using AuditGen.Integrity;
using AuditGen.Storage;

namespace AuditGen.Tests;

/// <summary>The personal-data value model: what it accepts, how it prints, and that sealed values stay bound to their place.</summary>
public class PersonalValueTests
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");

    [Fact]
    public void A_personal_value_never_prints_its_clear_value()
    {
        var value = new PersonalValue(Alice, "Alice Smith");
        ActivityRecord record = ActivityRecord.Create(Alice, Alice, "rename", new EntityRef("User", Alice), new Dictionary<string, object?> { ["name"] = value });

        Assert.DoesNotContain("Alice Smith", value.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Alice Smith", record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_personal_value_is_checked_like_any_record_value()
    {
        Assert.Throws<ArgumentException>(() => new PersonalValue(Guid.Empty, "x"));
        Assert.Throws<ArgumentException>(() => new PersonalValue(Alice, DateTime.UtcNow));
        Assert.Throws<ArgumentException>(() => new PersonalValue(Alice, new PersonalValue(Alice, "x")));
        Assert.Throws<ArgumentException>(() => ActivityRecord.Create(Alice, Alice, "a", new EntityRef("T", "1"),
            new Dictionary<string, object?> { ["names"] = new object?[] { new PersonalValue(Alice, "x") } }));
        Assert.Null(ActivityRecord.Create(Alice, Alice, "a", new EntityRef("T", "1"), new Dictionary<string, object?> { ["n"] = new PersonalValue(Alice, null) }).Metadata["n"]);
    }

    [Fact]
    public void Every_storage_and_canonical_form_refuses_a_personal_value_in_clear()
    {
        ActivityRecord record = ActivityRecord.Create(Alice, Alice, "rename", new EntityRef("User", Alice),
            new Dictionary<string, object?> { ["name"] = new PersonalValue(Alice, "Alice Smith") }).WithSequence(1);
        PropertyChange change = new("Name", new PersonalValue(Alice, "Alice Smith"), "x");

        Assert.Throws<InvalidOperationException>(() => ActivityMetadataJson.Serialize(record.Metadata));
        Assert.Throws<InvalidOperationException>(() => ActivityChangesJson.Serialize([new EntityChange(new EntityRef("User", "1"), EntityChangeKind.Modified, [change])]));
        Assert.Throws<InvalidOperationException>(() => ActivityRecordEncoding.Encode(record));
        Assert.Throws<InvalidOperationException>(() => ActivitySealedCounts.Of(record));
    }

    [Fact]
    public void A_sealed_value_round_trips_through_the_storage_form_and_is_bound_by_the_leaf()
    {
        using var aes = new AesGcm(new byte[32], SealedValue.TagSize);
        Guid recordId = Guid.NewGuid();
        SealedValue sealedValue = ActivitySealing.Seal(new PersonalValue(Alice, 42L), Guid.NewGuid(), aes, recordId, ValuePlace.Metadata("n"));
        var metadata = new Dictionary<string, object?> { ["n"] = sealedValue };

        IReadOnlyDictionary<string, object?> read = ActivityMetadataJson.Deserialize(ActivityMetadataJson.Serialize(metadata));

        Assert.Equal(sealedValue, read["n"]);
        Assert.Equal($"{{\"n\":[\"x\",\"{sealedValue.ToText()}\"]}}", ActivityRecordEncoding.CanonicalJson(metadata));
        Assert.Equal(new PersonalValue(Alice, 42L), ActivitySealing.Open(sealedValue, aes, recordId, ValuePlace.Metadata("n")));
    }

    [Fact]
    public void A_sealed_value_moved_to_another_record_or_field_does_not_open()
    {
        using var aes = new AesGcm(new byte[32], SealedValue.TagSize);
        Guid recordId = Guid.NewGuid();
        SealedValue sealedValue = ActivitySealing.Seal(new PersonalValue(Alice, "Alice"), Guid.NewGuid(), aes, recordId, ValuePlace.Metadata("name"));

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => ActivitySealing.Open(sealedValue, aes, Guid.NewGuid(), ValuePlace.Metadata("name")));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => ActivitySealing.Open(sealedValue, aes, recordId, ValuePlace.Metadata("email")));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            ActivitySealing.Open(sealedValue, aes, recordId, ValuePlace.Change(new EntityRef("User", "1"), "name", newValue: true)));
    }

    [Fact]
    public void Each_seal_uses_a_fresh_nonce()
    {
        using var aes = new AesGcm(new byte[32], SealedValue.TagSize);
        Guid recordId = Guid.NewGuid(), keyId = Guid.NewGuid();
        SealedValue a = ActivitySealing.Seal(new PersonalValue(Alice, "same"), keyId, aes, recordId, ValuePlace.Metadata("p"));
        SealedValue b = ActivitySealing.Seal(new PersonalValue(Alice, "same"), keyId, aes, recordId, ValuePlace.Metadata("p"));

        Assert.False(a.Ciphertext.Span[..SealedValue.NonceSize].SequenceEqual(b.Ciphertext.Span[..SealedValue.NonceSize]));
    }

    [Fact]
    public void Nonces_never_repeat_across_many_seals()
    {
        using var aes = new AesGcm(new byte[32], SealedValue.TagSize);
        Guid recordId = Guid.NewGuid(), keyId = Guid.NewGuid();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (int i = 0; i < 10_000; i++) // several refills of the nonce source
        {
            SealedValue sealedValue = ActivitySealing.Seal(new PersonalValue(Alice, "same"), keyId, aes, recordId, ValuePlace.Metadata("p"));
            Assert.True(seen.Add(Convert.ToHexString(sealedValue.Ciphertext.Span[..SealedValue.NonceSize])), $"nonce repeated at seal {i}");
        }
    }

    public static TheoryData<object?> EveryKindOfValue() => new()
    {
        null, "text with \"quotes\", \u0000 and ✓", true, (sbyte)-3, (byte)3, (short)-300, (ushort)300, -70_000, 70_000u, -5_000_000_000L,
        18_000_000_000_000_000_000UL, 1.5f, Math.PI, 79_228_162_514_264_337_593_543_950_335m, Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"),
        new DateTimeOffset(2026, 12, 5, 3, 4, 5, TimeSpan.FromHours(2)), new DateOnly(2026, 12, 5), new TimeOnly(3, 4, 5, 6),
        new object?[] { "a", 1, null, true }, new string('x', 5_000),
    };

    [Theory]
    [MemberData(nameof(EveryKindOfValue))]
    public void Every_kind_of_value_opens_as_it_was_sealed(object? value)
    {
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), SealedValue.TagSize);
        Guid recordId = Guid.NewGuid();
        ValuePlace place = ValuePlace.Metadata(new string('k', 300)); // associated data past the stack buffer too
        var personal = new PersonalValue(Alice, value);

        SealedValue sealedValue = ActivitySealing.Seal(personal, Guid.NewGuid(), aes, recordId, place);

        Assert.Equal(personal, ActivitySealing.Open(sealedValue, aes, recordId, place));
        Assert.Equal(sealedValue, SealedValue.Parse(sealedValue.ToText()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a sealed value")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e:0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e:0f8fad5b-d9cb-469f-a165-70867728950e:AAAA")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e:0f8fad5b-d9cb-469f-a165-70867728950e:!!not base64!!")]
    [InlineData("00000000-0000-0000-0000-000000000000:0f8fad5b-d9cb-469f-a165-70867728950e:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e;0f8fad5b-d9cb-469f-a165-70867728950e:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_malformed_sealed_value_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => SealedValue.Parse(text));

    [Fact]
    public void A_sealed_value_keeps_its_bytes_through_the_text_form()
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(SealedValue.NonceSize + 7 + SealedValue.TagSize); // base64 with padding
        var sealedValue = new SealedValue(Alice, Guid.NewGuid(), bytes);

        SealedValue parsed = SealedValue.Parse(sealedValue.ToText());

        Assert.Equal(bytes, parsed.Ciphertext.ToArray());
        Assert.Equal(sealedValue.KeyId, parsed.KeyId);
    }

    [Fact]
    public void Values_sealed_before_places_were_written_without_strings_still_open()
    {
        // Sealed by the previous code (the place built as a string, then encoded), under a fixed key: logs already written
        // keep opening, because the associated data's bytes are the same.
        using var aes = new AesGcm(Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), SealedValue.TagSize);
        Guid recordId = Guid.Parse("01900000-0000-7000-8000-000000000001");
        SealedValue title = SealedValue.Parse(
            "0b0e4c1e-0000-4000-8000-00000000a11c:6b657900-0000-4000-8000-000000000001:+fDuNBzjdXJBlchUKeceYIZ6htdl+YJXkAU22ohOIdH+WHcd7yycJEo+ksf5r/KQ0iE=");
        SealedValue email = SealedValue.Parse(
            "0b0e4c1e-0000-4000-8000-00000000a11c:6b657900-0000-4000-8000-000000000001:fHlu8X2cxFMWtHuVoR1ZGhDfRi8j+IpeqCbF+M5STXKrILd6UA3lJByePCPXVK40Vdk9VjA=");

        Assert.Equal(new PersonalValue(Alice, "Call Dr. Smith"), ActivitySealing.Open(title, aes, recordId, ValuePlace.Metadata("title")));
        Assert.Equal(new PersonalValue(Alice, "alice@example.org"),
            ActivitySealing.Open(email, aes, recordId, ValuePlace.Change(new EntityRef("User", "42"), "Email", newValue: true)));
        Assert.ThrowsAny<CryptographicException>(() => ActivitySealing.Open(email, aes, recordId, ValuePlace.Change(new EntityRef("User", "42"), "Email", newValue: false)));
        Assert.Equal("c\0User\042\0Email\0new", ValuePlace.Change(new EntityRef("User", "42"), "Email", newValue: true).ToString());
    }

    [Theory]
    [InlineData(20)]
    [InlineData(5_000)] // a text form longer than the stack buffer
    public void A_sealed_value_reads_back_from_the_storage_json_whatever_its_length(int length)
    {
        using var aes = new AesGcm(RandomNumberGenerator.GetBytes(32), SealedValue.TagSize);
        Guid recordId = Guid.NewGuid();
        SealedValue sealedValue = ActivitySealing.Seal(new PersonalValue(Alice, new string('v', length)), Guid.NewGuid(), aes, recordId, ValuePlace.Metadata("note"));
        ActivityRecord record = ActivityRecord.Create(Alice, Alice, "note", new EntityRef("Note", "1"), new Dictionary<string, object?> { ["note"] = sealedValue });

        IReadOnlyDictionary<string, object?> read = ActivityMetadataJson.Deserialize(ActivityMetadataJson.Serialize(record.Metadata));

        Assert.Equal(sealedValue, read["note"]);
        Assert.Equal(new PersonalValue(Alice, new string('v', length)), ActivitySealing.Open((SealedValue)read["note"]!, aes, recordId, ValuePlace.Metadata("note")));
    }

    [Fact]
    public void Escapes_in_the_storage_json_are_undone_before_a_sealed_value_is_parsed()
    {
        const string Text = "0b0e4c1e-0000-4000-8000-00000000a11c:6b657900-0000-4000-8000-000000000001:+fDuNBzjdXJBlchUKeceYIZ6htdl+YJXkAU22ohOIdH+WHcd7yycJEo+ksf5r/KQ0iE=";
        string json = "{\"title\":[\"x\",\"" + Text.Replace("+", "\\u002B", StringComparison.Ordinal).Replace("/", "\\/", StringComparison.Ordinal) + "\"]}";

        Assert.Equal(SealedValue.Parse(Text), ActivityMetadataJson.Deserialize(json)["title"]);
    }

    [Theory]
    [InlineData("not a sealed value")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e:0f8fad5b-d9cb-469f-a165-70867728950e:!!not base64!!")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e:0f8fad5b-d9cb-469f-a165-70867728950e:AAAA")]
    public void A_malformed_sealed_value_in_the_storage_json_is_a_format_error(string text) =>
        Assert.Throws<FormatException>(() => ActivityMetadataJson.Deserialize("{\"title\":[\"x\",\"" + text + "\"]}"));
}

