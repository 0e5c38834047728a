using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AuditGen.Integrity;
using Microsoft.Data.Sqlite;

namespace AuditGen.Tool.Tests;

/// <summary>
/// <c>auditgen witness</c> as a real process over HTTP on 127.0.0.1: it cosigns consistent growth, refuses a rewrite, a
/// truncation, a fork and hostile input with the C2SP status codes without changing its state, and survives a restart.
/// </summary>
public sealed class WitnessTests : IDisposable
{
    private const string Origin = "example.com/audit";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "auditgen-witness-" + Guid.NewGuid().ToString("N"));
    private readonly ActivityCheckpointKey _key = ActivityCheckpointKey.Create("log", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue);
    private readonly List<byte[]> _leaves = [.. Enumerable.Range(0, 40).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i)))];
    private readonly HttpClient _http = new();

    public WitnessTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        _http.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string State => Path.Combine(_folder, "witness.db");

    private string LogKey => _key.NoteVerifier(Origin).ToString();

    private SignedNote Checkpoint(int size, IReadOnlyList<byte[]>? leaves = null, ActivityCheckpointKey? key = null) =>
        ActivityCheckpoint.Sign(Origin, size, MerkleTree.Root(leaves ?? _leaves, 0, size), DateTimeOffset.UtcNow, key ?? _key).Note!;

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> AddAsync(Uri witness, long old, IEnumerable<byte[]> proof, SignedNote note) =>
        await PostAsync(witness, string.Create(CultureInfo.InvariantCulture, $"old {old}\n") + string.Concat(proof.Select(p => Convert.ToBase64String(p) + "\n")) + "\n" + note);

    private async Task<(HttpStatusCode Status, string Body, string? ContentType)> PostAsync(Uri witness, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        using HttpResponseMessage response = await _http.PostAsync(new Uri(witness, "add-checkpoint"), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The witness's latest view of the origin, from its monitoring API.</summary>
    private async Task<(HttpStatusCode Status, string Body)> LatestAsync(Uri witness)
    {
        using HttpResponseMessage response = await _http.GetAsync(new Uri(witness, ActivityWitness.CheckpointPath(Origin)));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private IReadOnlyList<byte[]> Proof(int from, int to) => MerkleTree.ConsistencyProof(_leaves, from, to);

    [Fact]
    public async Task It_cosigns_consistent_growth_refuses_rewrites_truncations_and_forks_and_keeps_its_state_across_a_restart()
    {
        string vkey;
        await using (WitnessProcess witness = await WitnessProcess.StartAsync(State, 0, LogKey))
        {
            vkey = witness.VerifierKey;
            NoteVerifier cosigner = NoteVerifier.Parse(vkey);
            Assert.Equal(NoteSignatureType.CosignatureV1, cosigner.Type);
            Assert.Equal(HttpStatusCode.NotFound, (await LatestAsync(witness.Url)).Status); // nothing cosigned yet

            // Growth: 0 → 10 (no proof), 10 → 25 (a consistency proof); each answer is a cosignature over the checkpoint.
            SignedNote ten = Checkpoint(10);
            (HttpStatusCode status, string body, _) = await AddAsync(witness.Url, 0, [], ten);
            Assert.Equal(HttpStatusCode.OK, status);
            NoteSignature cosignature = NoteSignature.ParseLine(body);
            Assert.True(cosigner.Verify(Encoding.UTF8.GetBytes(ten.Text), cosignature.Signature));
            Assert.InRange(NoteVerifier.CosignatureTime(cosignature)!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
            Assert.Equal(HttpStatusCode.OK, (await AddAsync(witness.Url, 10, Proof(10, 25), Checkpoint(25))).Status);

            // A rewrite: record 3 changed, a proof from the changed tree → 422.
            List<byte[]> rewritten = [.. _leaves];
            rewritten[3] = MerkleTree.HashLeaf("changed"u8);
            (status, _, _) = await AddAsync(witness.Url, 25, MerkleTree.ConsistencyProof(rewritten, 25, 30), Checkpoint(30, rewritten));
            Assert.Equal((HttpStatusCode)422, status);

            // A truncation: a smaller tree → 409 with the witness's size (old size not its own), or 400 (old above the size).
            (status, body, string? type) = await AddAsync(witness.Url, 10, [], Checkpoint(10));
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("25\n", body);
            Assert.Equal("text/x.tlog.size", type);
            Assert.Equal(HttpStatusCode.BadRequest, (await AddAsync(witness.Url, 25, [], Checkpoint(20))).Status);

            // A fork: another root at the size it cosigned → 422.
            Assert.Equal((HttpStatusCode)422, (await AddAsync(witness.Url, 25, [], Checkpoint(25, rewritten))).Status);

            // None of that moved it: its latest is still 25, with the log's signature and its cosignature.
            (HttpStatusCode latestStatus, string latest) = await LatestAsync(witness.Url);
            Assert.Equal(HttpStatusCode.OK, latestStatus);
            SignedNote view = SignedNote.Parse(latest);
            Assert.Equal(25, ActivityCheckpoint.ParseBody(view.Text).TreeSize);
            Assert.Single(view.Check([cosigner, _key.NoteVerifier(Origin)]).Verified, v => v.Type == NoteSignatureType.CosignatureV1);
        }

        // Restarted without --log-key: the same key, the trusted log and its size come back from the state file.
        await using (WitnessProcess again = await WitnessProcess.StartAsync(State))
        {
            Assert.Equal(vkey, again.VerifierKey);
            (HttpStatusCode status, string body, _) = await AddAsync(again.Url, 0, [], Checkpoint(30));
            Assert.Equal(HttpStatusCode.Conflict, status);
            Assert.Equal("25\n", body);
            Assert.Equal(HttpStatusCode.OK, (await AddAsync(again.Url, 25, Proof(25, 30), Checkpoint(30))).Status);
        }
    }

    [Fact]
    public async Task Hostile_input_is_refused_without_a_change_of_state()
    {
        await using WitnessProcess witness = await WitnessProcess.StartAsync(State, 0, LogKey);
        Assert.Equal(HttpStatusCode.OK, (await AddAsync(witness.Url, 0, [], Checkpoint(8))).Status);
        string good = $"old 8\n{string.Concat(Proof(8, 16).Select(p => Convert.ToBase64String(p) + "\n"))}\n{Checkpoint(16)}";

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness.Url, "garbage")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness.Url, "old 08\n\n" + Checkpoint(16))).Status); // a leading zero
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness.Url, "old 8\nnot-base64\n\n" + Checkpoint(16))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness.Url, "old 8\nAAAA\n\n" + Checkpoint(16))).Status); // not a 32-byte hash
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness.Url, good.Replace("\n\u2014", "\n-", StringComparison.Ordinal))).Status); // no signature line
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(witness.Url, "old 8\n" + string.Concat(Enumerable.Repeat(Convert.ToBase64String(new byte[32]) + "\n", 64)) + "\n" + Checkpoint(16))).Status);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await PostAsync(witness.Url, good + new string('x', ActivityWitness.MaxRequestBytes))).Status);

        ActivityCheckpointKey stranger = ActivityCheckpointKey.Create("stranger", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.MaxValue);
        Assert.Equal(HttpStatusCode.Forbidden, (await AddAsync(witness.Url, 8, Proof(8, 16), Checkpoint(16, key: stranger))).Status); // another key, same origin
        SignedNote signed = Checkpoint(16);
        var forged = new SignedNote(signed.Text.Replace("\n16\n", "\n17\n", StringComparison.Ordinal), signed.Signatures);
        Assert.Equal(HttpStatusCode.Forbidden, (await AddAsync(witness.Url, 8, Proof(8, 17), forged)).Status); // a signature that fails
        SignedNote elsewhere = ActivityCheckpoint.Sign("example.com/other", 16, MerkleTree.Root(_leaves, 0, 16), DateTimeOffset.UtcNow, _key).Note!;
        Assert.Equal(HttpStatusCode.NotFound, (await AddAsync(witness.Url, 0, [], elsewhere)).Status); // an origin it does not witness
        IReadOnlyList<byte[]> proof = Proof(8, 16);
        byte[][] bad = [.. proof.Select(p => p.ToArray())];
        bad[0][0] ^= 1;
        Assert.Equal((HttpStatusCode)422, (await AddAsync(witness.Url, 8, bad, Checkpoint(16))).Status);
        Assert.Equal((HttpStatusCode)422, (await AddAsync(witness.Url, 8, proof.Skip(1), Checkpoint(16))).Status); // a proof too short
        Assert.Equal((HttpStatusCode)422, (await AddAsync(witness.Url, 8, [.. proof, RandomNumberGenerator.GetBytes(32)], Checkpoint(16))).Status); // too long

        Assert.Equal(8, ActivityCheckpoint.ParseBody(SignedNote.Parse((await LatestAsync(witness.Url)).Body).Text).TreeSize);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(witness.Url, good)).Status); // and the honest request still goes through
    }
}
