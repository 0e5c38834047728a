using System.Text.Json.Nodes;
using AuditGen.Integrity;
using Microsoft.Extensions.Time.Testing;

namespace AuditGen.Tests.Integrity;

/// <summary>Checkpoints as C2SP checkpoint notes: Ed25519 and ECDSA keys, the origin, and the migration of v1 files.</summary>
public sealed class CheckpointNoteTests : IDisposable
{
    private static readonly Guid Alice = Guid.Parse("0b0e4c1e-0000-4000-8000-00000000a11c");
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "auditgen-notes-" + Guid.NewGuid().ToString("N"), "audit.db.checkpoints");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly InMemoryActivityLogRepo _log;

    public CheckpointNoteTests() => _log = new InMemoryActivityLogRepo(_clock);

    public void Dispose()
    {
        string parent = Path.GetDirectoryName(_directory)!;
        if (Directory.Exists(parent))
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    private FileActivityCheckpointSink Sink => new(_directory);

    private ActivityCheckpointer Checkpointer(ActivityCheckpointKey key, string? origin = null) =>
        new(_log, new ActivityCheckpointOptions { Sink = Sink, Key = key, EveryRecords = 10, Origin = origin }, clock: _clock);

    private async Task AppendAsync(int count)
    {
        for (int i = 0; i < count; i++)
        {
            await _log.AppendAsync(ActivityRecord.Create(Alice, Alice, "create_task", new EntityRef("Task", $"{_log.Records.Count}")));
        }
    }

    [Fact]
    public async Task A_checkpoint_is_a_checkpoint_note_of_the_origin_signed_with_an_Ed25519_key_by_default()
    {
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("key-1", Start.AddDays(-1), DateTimeOffset.MaxValue);
        await AppendAsync(5);
        ActivityCheckpointer checkpointer = Checkpointer(key);

        ActivityCheckpoint checkpoint = (await checkpointer.CheckpointAsync())!;

        Assert.Equal(ActivityCheckpointKeyAlgorithm.Ed25519, key.Algorithm);
        Assert.Equal("auditgen/audit.db", checkpointer.Origin); // derived from the database file's name
        Assert.Equal($"auditgen/audit.db\n5\n{Convert.ToBase64String(checkpoint.RootHash)}\n", checkpoint.Note!.Text);
        SignedNote stored = SignedNote.Parse(JsonNode.Parse(File.ReadAllText(Directory.GetFiles(_directory).Single()))!["note"]!.GetValue<string>());
        NoteVerifier vkey = NoteVerifier.Parse(checkpointer.VerifierKey.ToString());
        Assert.Equal(NoteSignatureType.Ed25519, vkey.Type);
        Assert.Equal([vkey], stored.Check([vkey]).Verified);
        Assert.True((await ActivityLogVerifier.VerifyAsync(_log, Sink, [key.PublicKey()])).IsIntact);
    }

    [Fact]
    public async Task An_ECDSA_key_signs_notes_of_type_02_and_keeps_verifying()
    {
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("ecdsa", Start.AddDays(-1), DateTimeOffset.MaxValue, ActivityCheckpointKeyAlgorithm.EcdsaP256);
        await AppendAsync(3);
        ActivityCheckpointer checkpointer = Checkpointer(key, origin: "example.com/orders");

        ActivityCheckpoint checkpoint = (await checkpointer.CheckpointAsync())!;

        NoteVerifier vkey = NoteVerifier.Parse(checkpointer.VerifierKey.ToString());
        Assert.Equal(NoteSignatureType.EcdsaP256, vkey.Type);
        Assert.Equal("example.com/orders", vkey.Name);
        Assert.Equal([vkey], SignedNote.Parse(checkpoint.Note!.ToString()).Check([vkey]).Verified);
        ActivityCheckpointKey verifying = ActivityCheckpointKey.FromJson(key.PublicKey().ToJson());
        Assert.True((await ActivityLogVerifier.VerifyAsync(_log, Sink, [verifying])).IsIntact);
    }

    [Fact]
    public void Keys_round_trip_through_JSON_and_a_key_file_without_algorithm_is_an_ECDSA_key()
    {
        ActivityCheckpointKey ed = ActivityCheckpointKey.Create("ed", Start, Start.AddDays(30), ActivityCheckpointKeyAlgorithm.Ed25519);
        ActivityCheckpointKey edAgain = ActivityCheckpointKey.FromJson(ed.ToJson(includePrivate: true));
        ActivityCheckpointKey edPublic = ActivityCheckpointKey.FromJson(ed.PublicKey().ToJson());
        byte[] data = [1, 2, 3];

        Assert.True(edAgain.CanSign);
        Assert.False(edPublic.CanSign);
        Assert.Equal(ActivityCheckpointKeyAlgorithm.Ed25519, edPublic.Algorithm);
        Assert.True(edPublic.Verify(data, edAgain.Sign(data)));
        Assert.Equal(ed.NoteVerifier("o").ToString(), edPublic.NoteVerifier("o").ToString());

        ActivityCheckpointKey ecdsa = ActivityCheckpointKey.Create("ec", Start, Start.AddDays(30), ActivityCheckpointKeyAlgorithm.EcdsaP256);
        JsonObject today = JsonNode.Parse(ecdsa.PublicKey().ToJson())!.AsObject();
        today.Remove("algorithm"); // the key files written before Ed25519
        ActivityCheckpointKey read = ActivityCheckpointKey.FromJson(today.ToJsonString());
        Assert.Equal(ActivityCheckpointKeyAlgorithm.EcdsaP256, read.Algorithm);
        Assert.True(read.Verify(data, ecdsa.Sign(data)));

        JsonObject bad = JsonNode.Parse(ed.PublicKey().ToJson())!.AsObject();
        bad["algorithm"] = "rsa";
        Assert.Contains("algorithm", Assert.Throws<FormatException>(() => ActivityCheckpointKey.FromJson(bad.ToJsonString())).Message);
        bad["algorithm"] = "ed25519";
        bad["publicKey"] = Convert.ToBase64String(new byte[31]);
        Assert.Contains("publicKey", Assert.Throws<FormatException>(() => ActivityCheckpointKey.FromJson(bad.ToJsonString())).Message);
    }

    [Fact]
    public async Task Todays_v1_checkpoint_files_verify_and_are_migrated_to_notes_signed_by_the_same_key()
    {
        ActivityCheckpointKey old = ActivityCheckpointKey.Create("old", Start.AddDays(-10), Start.AddDays(-5), ActivityCheckpointKeyAlgorithm.EcdsaP256);
        ActivityCheckpointKey current = ActivityCheckpointKey.Create("current", Start.AddDays(-5), DateTimeOffset.MaxValue, ActivityCheckpointKeyAlgorithm.EcdsaP256);
        await AppendAsync(4);
        await WriteV1Async(old, 0, Start.AddDays(-6)); // signed by a retired key: stays v1
        await AppendAsync(3);
        await WriteV1Async(current, 4, Start.AddDays(-1)); // signed by the current key: migrated
        Assert.All(Directory.GetFiles(_directory), f => Assert.Contains(ActivityCheckpoint.Format, File.ReadAllText(f), StringComparison.Ordinal));
        Assert.True((await ActivityLogVerifier.VerifyAsync(_log, Sink, [old.PublicKey(), current.PublicKey()])).IsIntact);

        await AppendAsync(2);
        ActivityCheckpoint next = (await Checkpointer(current).CheckpointAsync())!; // resumes: migrates, then signs a note

        string[] files = [.. Directory.GetFiles(_directory).Order(StringComparer.Ordinal)];
        Assert.Contains(ActivityCheckpoint.Format, File.ReadAllText(files[0]), StringComparison.Ordinal);
        JsonNode migrated = JsonNode.Parse(File.ReadAllText(files[1]))!;
        Assert.Equal(FileActivityCheckpointSink.NoteFormat, migrated["format"]!.GetValue<string>());
        Assert.NotNull(migrated["v1Signature"]);
        Assert.Equal(Start.AddDays(-1), DateTimeOffset.Parse(migrated["issuedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(9, next.TreeSize);
        ActivityLogVerification result = await ActivityLogVerifier.VerifyAsync(_log, Sink, [old.PublicKey(), current.PublicKey()]);
        Assert.True(result.IsIntact, result.Problem);
        Assert.Equal(9, result.RecordsVerified);
    }

    [Fact]
    public void Bad_options_name_the_field()
    {
        var sink = new FileActivityCheckpointSink(_directory);
        ActivityCheckpointKey key = ActivityCheckpointKey.Create("k", Start, DateTimeOffset.MaxValue);

        Assert.Equal("Origin", Assert.Throws<ArgumentException>(() => new ActivityCheckpointer(_log, new ActivityCheckpointOptions { Sink = sink, Key = key, Origin = "has space" })).ParamName);
        var witnesses = new ActivityCheckpointOptions().Witnesses;
        string vkey = NoteSigner.Generate("w.example/1", NoteSignatureType.CosignatureV1).Verifier.ToString();
        Assert.Equal("url", Assert.Throws<ArgumentException>(() => witnesses.Add("not a url", vkey)).ParamName);
        Assert.Equal("url", Assert.Throws<ArgumentException>(() => witnesses.Add("ftp://w.example/", vkey)).ParamName);
        Assert.Equal("verifierKey", Assert.Throws<ArgumentException>(() => witnesses.Add("http://127.0.0.1:1/", "garbage")).ParamName);
        Assert.Equal("verifierKey", Assert.Throws<ArgumentException>(() => witnesses.Add("http://127.0.0.1:1/", NoteSigner.Generate("w").Verifier.ToString())).ParamName);
        witnesses.Add("http://127.0.0.1:1", "vkey: " + vkey);
        Assert.Equal("http://127.0.0.1:1/", witnesses[0].Url.AbsoluteUri);
        Assert.Equal("verifierKey", Assert.Throws<ArgumentException>(() => witnesses.Add("http://127.0.0.1:2/", vkey)).ParamName);
    }

    /// <summary>Writes a checkpoint file as the code before signed notes did (format v1), over the records from <paramref name="from"/>.</summary>
    private async Task WriteV1Async(ActivityCheckpointKey key, int from, DateTimeOffset at)
    {
        ActivityRecord[] records = [.. _log.Records];
        byte[][] hashes = [.. records.Select(ActivityRecordEncoding.LeafHash)];
        ActivityCheckpoint v1 = ActivityCheckpoint.Sign(records.Length, MerkleTree.Root(hashes, 0, records.Length), at, key);
        await Sink.WriteAsync(v1, [.. records.Skip(from).Select(r => new ActivityLeaf(r.Sequence, ActivityRecordEncoding.LeafHash(r)))]);
    }
}
