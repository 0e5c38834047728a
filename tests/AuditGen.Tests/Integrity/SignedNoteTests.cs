using System.Reflection;
using System.Text.Json;
using AuditGen.Integrity;

namespace AuditGen.Tests.Integrity;

/// <summary>C2SP signed notes: the Go note package's known answers (../shared/vectors/signed-note), and cosignatures.</summary>
public sealed class SignedNoteTests
{
    private static readonly JsonElement Vectors = Load();

    private static JsonElement Load()
    {
        string root = typeof(SignedNoteTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "VectorsRoot").Value!;
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "signed-note", "vectors.json")));
        return document.RootElement.Clone();
    }

    private static string Key(string who, string kind) => Vectors.GetProperty("keys").GetProperty(who).GetProperty(kind).GetString()!;

    [Theory]
    [InlineData("PeterNeumann")]
    [InlineData("EnochRoot")]
    public void A_verifier_key_reads_with_its_key_hash_and_writes_back_the_same(string who)
    {
        NoteVerifier verifier = NoteVerifier.Parse(Key(who, "verifier_key"));

        Assert.Equal(who, verifier.Name);
        Assert.Equal(NoteSignatureType.Ed25519, verifier.Type);
        Assert.Equal(Key(who, "key_hash"), verifier.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Key(who, "verifier_key"), verifier.ToString());
    }

    [Fact]
    public void The_signer_key_signs_the_text_to_the_exact_known_note()
    {
        NoteSigner signer = NoteSigner.Parse(Key("PeterNeumann", "signer_key"));
        string text = Vectors.GetProperty("text").GetString()!;

        var note = new SignedNote(text, [signer.Sign(text)]);

        Assert.Equal(Vectors.GetProperty("signed_by_peter").GetString(), note.ToString());
        Assert.Equal(Key("PeterNeumann", "verifier_key"), signer.Verifier.ToString());
        Assert.Equal(Key("PeterNeumann", "signer_key"), signer.ToString());
    }

    [Fact]
    public void A_note_signed_by_two_keys_reads_verifies_with_both_and_writes_back_byte_for_byte()
    {
        string text = Vectors.GetProperty("signed_by_peter_and_enoch").GetString()!;
        SignedNote note = SignedNote.Parse(text);

        (IReadOnlyList<NoteVerifier> verified, IReadOnlyList<NoteVerifier> failed) =
            note.Check([NoteVerifier.Parse(Key("PeterNeumann", "verifier_key")), NoteVerifier.Parse(Key("EnochRoot", "verifier_key"))]);

        Assert.Equal(Vectors.GetProperty("text").GetString(), note.Text);
        Assert.Equal(["PeterNeumann", "EnochRoot"], verified.Select(v => v.Name));
        Assert.Empty(failed);
        Assert.Equal(text, note.ToString());
    }

    [Fact]
    public void A_changed_text_fails_the_known_key_and_unknown_keys_are_ignored()
    {
        SignedNote signed = SignedNote.Parse(Vectors.GetProperty("signed_by_peter").GetString()!);
        var changed = new SignedNote(signed.Text.Replace("answer", "question", StringComparison.Ordinal), signed.Signatures);
        NoteVerifier peter = NoteVerifier.Parse(Key("PeterNeumann", "verifier_key"));
        NoteVerifier enoch = NoteVerifier.Parse(Key("EnochRoot", "verifier_key"));

        (IReadOnlyList<NoteVerifier> verified, IReadOnlyList<NoteVerifier> failed) = changed.Check([peter, enoch]);

        Assert.Empty(verified);
        Assert.Equal([peter], failed); // Enoch did not sign: ignored, neither verified nor failed
    }

    [Fact]
    public void Invalid_verifier_keys_are_refused_saying_why()
    {
        foreach (JsonElement invalid in Vectors.GetProperty("invalid_verifier_keys").EnumerateArray())
        {
            FormatException error = Assert.Throws<FormatException>(() => NoteVerifier.Parse(invalid.GetProperty("key").GetString()!));
            Assert.Contains("PeterNeumann", error.Message, StringComparison.Ordinal);
        }

        Assert.Throws<FormatException>(() => NoteVerifier.Parse("PeterNeumann+00000000+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")); // wrong key id
        Assert.Throws<FormatException>(() => NoteVerifier.Parse("no-plus-signs"));
    }

    [Fact]
    public void Malformed_notes_are_refused()
    {
        foreach (JsonElement malformed in Vectors.GetProperty("malformed_notes").EnumerateArray())
        {
            string note = malformed.GetProperty("note").GetString()!;
            Assert.Throws<FormatException>(() => SignedNote.Parse(note));
        }

        Assert.Throws<FormatException>(() => SignedNote.Parse("a\u0001b\n\n\u2014 k AAAAAAA=\n")); // a control character
        Assert.Throws<FormatException>(() => SignedNote.Parse("text\n\n\u2014 k not-base64!\n"));
        Assert.Throws<FormatException>(() => SignedNote.Parse(new string('a', SignedNote.MaxLength + 1)));
    }

    [Fact]
    public void A_new_Ed25519_key_round_trips_through_its_text_forms_and_verifies_its_signatures()
    {
        NoteSigner signer = NoteSigner.Generate("example.com/log");
        NoteSigner again = NoteSigner.Parse(signer.ToString());
        NoteVerifier verifier = NoteVerifier.Parse(signer.Verifier.ToString());
        var note = new SignedNote("example.com/log\n1\nAAAA\n", [again.Sign("example.com/log\n1\nAAAA\n")]);

        Assert.Equal(signer.KeyId, again.KeyId);
        Assert.Equal([verifier.Name], SignedNote.Parse(note.ToString()).Check([verifier]).Verified.Select(v => v.Name));
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate("has space"));
        Assert.Throws<ArgumentException>(() => NoteSigner.Generate("has+plus"));
    }

    [Fact]
    public void A_cosignature_carries_its_time_verifies_over_the_checkpoint_and_fails_with_another_time()
    {
        NoteSigner witness = NoteSigner.Generate("witness.example/w1", NoteSignatureType.CosignatureV1);
        const string Checkpoint = "example.com/log\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
        var at = new DateTimeOffset(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);

        NoteSignature cosignature = witness.Cosign(Checkpoint, at);
        NoteVerifier verifier = NoteVerifier.Parse(witness.Verifier.ToString());
        byte[] forged = [.. cosignature.Signature];
        forged[7] ^= 1; // another second

        Assert.Equal(NoteSignatureType.CosignatureV1, verifier.Type);
        Assert.Equal(at, NoteVerifier.CosignatureTime(cosignature));
        Assert.Equal(72, cosignature.Signature.Length);
        Assert.True(verifier.Verify(System.Text.Encoding.UTF8.GetBytes(Checkpoint), cosignature.Signature));
        Assert.False(verifier.Verify(System.Text.Encoding.UTF8.GetBytes(Checkpoint), forged));
        Assert.False(verifier.Verify(System.Text.Encoding.UTF8.GetBytes(Checkpoint.Replace("20852163", "20852164", StringComparison.Ordinal)), cosignature.Signature));
        Assert.Throws<InvalidOperationException>(() => witness.Sign(Checkpoint));
        Assert.Throws<InvalidOperationException>(() => NoteSigner.Generate("log").Cosign(Checkpoint, at));
        // The key id of a cosignature key is over type 0x04: the same Ed25519 key as a note key has another id.
        Assert.NotEqual(verifier.KeyId, NoteVerifier.ComputeKeyId(verifier.Name, NoteSignatureType.Ed25519, verifier.PublicKey));
    }
}
