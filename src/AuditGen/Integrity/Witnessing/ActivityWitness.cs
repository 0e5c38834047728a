using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// A transparency-log witness (C2SP <c>tlog-witness</c>): <see cref="AddCheckpointAsync"/> checks a log's checkpoint — the
/// log's signature with a key trusted for its origin, and the consistency proof from the size the witness last cosigned —
/// and only then records it and returns a timestamped <c>cosignature/v1</c>. It refuses a smaller size, a different root
/// at the same size (a fork) and a bad proof (a rewrite) with the spec's status codes, changing no state.
/// <see cref="GetCheckpointAsync"/> serves its latest cosigned checkpoint of an origin (the monitoring API). Hosted by
/// <c>auditgen witness</c> or an app's <c>MapActivityWitness</c>.
/// </summary>
public sealed class ActivityWitness : IDisposable
{
    /// <summary>The largest request body accepted, in bytes (a checkpoint, 63 proof lines and many signatures fit).</summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>The most consistency proof lines a request may carry (the spec's limit).</summary>
    public const int MaxProofLines = 63;

    private const string Text = "text/plain; charset=utf-8";
    private readonly NoteSigner _key;
    private readonly IActivityWitnessStore _store;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A witness that cosigns with <paramref name="key"/> and keeps its state in <paramref name="store"/>.</summary>
    /// <param name="key">The witness's <c>cosignature/v1</c> key (<see cref="NoteSigner.Generate"/> with <see cref="NoteSignatureType.CosignatureV1"/>).</param>
    /// <param name="store">Its state.</param>
    /// <param name="clock">Stamps cosignatures; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentException">The key is not a cosignature key.</exception>
    public ActivityWitness(NoteSigner key, IActivityWitnessStore store, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(store);
        if (key.Verifier.Type != NoteSignatureType.CosignatureV1)
        {
            throw new ArgumentException($"key '{key.Name}' must be a cosignature/v1 key (type 04), not {key.Verifier.Type}.", nameof(key));
        }

        _key = key;
        _store = store;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>The witness's verifier key, which logs and verifiers configure (<c>vkey: …</c>).</summary>
    public NoteVerifier VerifierKey => _key.Verifier;

    /// <summary>The path of an origin's checkpoint under the monitoring prefix: lowercase hex SHA-256 of the origin, then <c>/checkpoint</c>.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <returns>The relative path.</returns>
    public static string CheckpointPath(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(origin))).ToLowerInvariant() + "/checkpoint";
    }

    /// <summary>Handles an <c>add-checkpoint</c> request body (<c>old N</c>, proof lines, a blank line, the checkpoint note).</summary>
    /// <param name="body">The request body.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>200 with the cosignature line; 400 malformed; 403 no valid signature by a trusted key (or a failing one); 404 unknown origin; 409 (text/x.tlog.size) the old size is not the witness's; 422 a bad proof, a different root at the same size, or an empty tree with another root.</returns>
    public async Task<ActivityWitnessResponse> AddCheckpointAsync(string body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (Encoding.UTF8.GetByteCount(body) > MaxRequestBytes)
        {
            return Plain(413, $"The request is larger than {MaxRequestBytes} bytes.");
        }

        if (!TryParseRequest(body, out long oldSize, out List<byte[]> proof, out SignedNote? note, out string origin, out long size, out byte[] root, out string? problem))
        {
            return Plain(400, problem!);
        }

        IReadOnlyList<NoteVerifier> keys = await _store.LogKeysAsync(origin, cancellationToken).ConfigureAwait(false);
        if (keys.Count == 0)
        {
            return Plain(404, $"Unknown log origin '{origin}': this witness trusts no key for it.");
        }

        (IReadOnlyList<NoteVerifier> verified, IReadOnlyList<NoteVerifier> failed) = note!.Check(keys);
        if (failed.Count > 0 || verified.Count == 0)
        {
            return Plain(403, failed.Count > 0
                ? $"The signature of '{failed[0].Name}' ({failed[0].KeyId:x8}) does not verify."
                : $"No signature by a key trusted for '{origin}'.");
        }

        if (oldSize > size)
        {
            return Plain(400, string.Create(CultureInfo.InvariantCulture, $"old size {oldSize} is above the checkpoint's size {size}."));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ActivityWitnessedCheckpoint? latest = await _store.LatestAsync(origin, cancellationToken).ConfigureAwait(false);
            long latestSize = latest?.TreeSize ?? 0;
            if (oldSize != latestSize)
            {
                return Conflict(latestSize);
            }

            if (size == 0 && !root.AsSpan().SequenceEqual(MerkleTree.EmptyRoot()))
            {
                return Plain(422, "A checkpoint of size 0 must have the empty tree's root.");
            }

            if (oldSize == 0 && proof.Count > 0)
            {
                return Plain(422, "From old size 0 the consistency proof must be empty.");
            }

            if (oldSize > 0 && oldSize == size)
            {
                if (proof.Count > 0 || !root.AsSpan().SequenceEqual(latest!.RootHash))
                {
                    return Plain(422, string.Create(CultureInfo.InvariantCulture, $"At size {size} this witness cosigned another root: the log forked."));
                }
            }
            else if (oldSize > 0 && !MerkleTree.VerifyConsistency(oldSize, size, latest!.RootHash, root, proof))
            {
                return Plain(422, string.Create(CultureInfo.InvariantCulture, $"The consistency proof from size {oldSize} to {size} does not verify: the log rewrote its history."));
            }

            NoteSignature cosignature = _key.Cosign(note.Text, _clock.GetUtcNow());
            var logSignatures = note.Signatures.Where(s => verified.Any(v => v.Name == s.KeyName && v.KeyId == s.KeyId)).ToList();
            string cosigned = new SignedNote(note.Text, [.. logSignatures, cosignature]).ToString();
            if (!await _store.TryAdvanceAsync(oldSize, new ActivityWitnessedCheckpoint(origin, size, root, cosigned), cancellationToken).ConfigureAwait(false))
            {
                return Conflict((await _store.LatestAsync(origin, cancellationToken).ConfigureAwait(false))?.TreeSize ?? 0);
            }

            return new ActivityWitnessResponse(200, Text, cosignature.ToLine());
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The latest cosigned checkpoint of the origin whose SHA-256 is <paramref name="originHash"/> (lowercase hex): the monitoring API.</summary>
    /// <param name="originHash">The origin's hash.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>200 with the checkpoint note (the log's signature and the witness's cosignature), or 404.</returns>
    public async Task<ActivityWitnessResponse> GetCheckpointByHashAsync(string originHash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(originHash);
        foreach (string origin in await _store.OriginsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (CheckpointPath(origin) == originHash + "/checkpoint")
            {
                return await GetCheckpointAsync(origin, cancellationToken).ConfigureAwait(false);
            }
        }

        return Plain(404, "This witness has cosigned no checkpoint of that origin.");
    }

    /// <summary>The latest cosigned checkpoint of <paramref name="origin"/>.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>200 with the checkpoint note (the log's signature and the witness's cosignature), or 404.</returns>
    public async Task<ActivityWitnessResponse> GetCheckpointAsync(string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ActivityWitnessedCheckpoint? latest = await _store.LatestAsync(origin, cancellationToken).ConfigureAwait(false);
        return latest is null
            ? Plain(404, $"This witness has cosigned no checkpoint of '{origin}'.")
            : new ActivityWitnessResponse(200, Text, latest.Note);
    }

    /// <inheritdoc/>
    public void Dispose() => _gate.Dispose();

    private static ActivityWitnessResponse Conflict(long size) =>
        new(409, "text/x.tlog.size", size.ToString(CultureInfo.InvariantCulture) + "\n");

    private static ActivityWitnessResponse Plain(int status, string message) => new(status, Text, message + "\n");

    private static bool TryParseRequest(string body, out long oldSize, out List<byte[]> proof, out SignedNote? note, out string origin, out long size, out byte[] root,
        out string? problem)
    {
        oldSize = 0;
        proof = [];
        note = null;
        origin = "";
        size = 0;
        root = [];
        int blank = body.IndexOf("\n\n", StringComparison.Ordinal);
        if (blank < 0)
        {
            problem = "The request is 'old N', consistency proof lines, a blank line and a checkpoint.";
            return false;
        }

        string[] header = body[..blank].Split('\n');
        if (!header[0].StartsWith("old ", StringComparison.Ordinal) ||
            !long.TryParse(header[0].AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out oldSize) ||
            (header[0].Length > 5 && header[0][4] == '0'))
        {
            problem = "The first line is 'old <size>', a decimal without leading zeroes.";
            return false;
        }

        if (header.Length - 1 > MaxProofLines)
        {
            problem = $"More than {MaxProofLines} consistency proof lines.";
            return false;
        }

        foreach (string line in header.Skip(1))
        {
            byte[] hash;
            try
            {
                hash = Convert.FromBase64String(line);
            }
            catch (FormatException)
            {
                problem = "A consistency proof line is not base64.";
                return false;
            }

            if (hash.Length != MerkleTree.HashSize)
            {
                problem = $"A consistency proof line is not a {MerkleTree.HashSize}-byte hash.";
                return false;
            }

            proof.Add(hash);
        }

        try
        {
            note = SignedNote.Parse(body[(blank + 2)..]);
            (origin, size, root) = ActivityCheckpoint.ParseBody(note.Text);
        }
        catch (FormatException ex)
        {
            problem = "The checkpoint is malformed: " + ex.Message;
            return false;
        }

        problem = null;
        return true;
    }
}
