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
        byte[] key = new byte[32];
        Guid recordId = Guid.NewGuid();
        SealedValue sealedValue = ActivitySealing.Seal(new PersonalValue(Alice, 42L), Guid.NewGuid(), key, recordId, ActivitySealing.MetadataPlace("n"));
        var metadata = new Dictionary<string, object?> { ["n"] = sealedValue };

        IReadOnlyDictionary<string, object?> read = ActivityMetadataJson.Deserialize(ActivityMetadataJson.Serialize(metadata));

        Assert.Equal(sealedValue, read["n"]);
        Assert.Equal($"{{\"n\":[\"x\",\"{sealedValue.ToText()}\"]}}", ActivityRecordEncoding.CanonicalJson(metadata));
        Assert.Equal(new PersonalValue(Alice, 42L), ActivitySealing.Open(sealedValue, key, recordId, ActivitySealing.MetadataPlace("n")));
    }

    [Fact]
    public void A_sealed_value_moved_to_another_record_or_field_does_not_open()
    {
        byte[] key = new byte[32];
        Guid recordId = Guid.NewGuid();
        SealedValue sealedValue = ActivitySealing.Seal(new PersonalValue(Alice, "Alice"), Guid.NewGuid(), key, recordId, ActivitySealing.MetadataPlace("name"));

        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => ActivitySealing.Open(sealedValue, key, Guid.NewGuid(), ActivitySealing.MetadataPlace("name")));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => ActivitySealing.Open(sealedValue, key, recordId, ActivitySealing.MetadataPlace("email")));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() =>
            ActivitySealing.Open(sealedValue, key, recordId, ActivitySealing.ChangePlace(new EntityRef("User", "1"), "name", newValue: true)));
    }

    [Fact]
    public void Each_seal_uses_a_fresh_nonce()
    {
        byte[] key = new byte[32];
        Guid recordId = Guid.NewGuid(), keyId = Guid.NewGuid();
        SealedValue a = ActivitySealing.Seal(new PersonalValue(Alice, "same"), keyId, key, recordId, "p");
        SealedValue b = ActivitySealing.Seal(new PersonalValue(Alice, "same"), keyId, key, recordId, "p");

        Assert.False(a.Ciphertext.Span[..SealedValue.NonceSize].SequenceEqual(b.Ciphertext.Span[..SealedValue.NonceSize]));
    }
}
