using System.Globalization;
using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// A signed statement of the log's state: the first <see cref="TreeSize"/> records (in sequence order) have the Merkle
/// root <see cref="RootHash"/>, as of <see cref="IssuedAt"/>, signed with the key <see cref="KeyId"/>. Written outside the
/// database by <see cref="ActivityCheckpointer"/>; checked by <see cref="ActivityLogVerifier"/>. A checkpoint is a C2SP
/// <c>tlog-checkpoint</c> signed note (<see cref="Note"/>: origin, size, base64 root, and the log's signature, then any
/// witness cosignatures); checkpoints written before that (<see cref="Format"/> v1, <see cref="Note"/> null) keep verifying.
/// </summary>
public sealed class ActivityCheckpoint
{
    /// <summary>The first line of the signed text of a v1 checkpoint (before signed notes): the format and its version.</summary>
    public const string Format = "auditgen-checkpoint/v1";

    /// <summary>
    /// A checkpoint from its signed note (C2SP <c>tlog-checkpoint</c>), with the time and key id the sink keeps beside it.
    /// </summary>
    /// <param name="note">The note: origin, tree size, base64 root hash, and the log's signature (key name = origin) among its signatures.</param>
    /// <param name="issuedAt">When it was signed.</param>
    /// <param name="keyId">The id of the <see cref="ActivityCheckpointKey"/> that signed it.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="FormatException">The note's text is not a checkpoint, or it has no signature named after its origin.</exception>
    public static ActivityCheckpoint FromNote(SignedNote note, DateTimeOffset issuedAt, string keyId)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        (string origin, long size, byte[] root) = ParseBody(note.Text);
        NoteSignature signature = note.Signatures.FirstOrDefault(s => s.KeyName == origin)
            ?? throw new FormatException($"The checkpoint of '{origin}' has no signature by a key named after its origin.");
        return new ActivityCheckpoint(size, root, issuedAt, keyId, signature.Signature) { Origin = origin, Note = note };
    }

    /// <summary>Reads a checkpoint's note text: origin, tree size (decimal, no leading zeroes), base64 32-byte root, then optional extension lines.</summary>
    /// <param name="text">The note text.</param>
    /// <returns>The origin, size and root.</returns>
    /// <exception cref="FormatException">The text is not a checkpoint, naming the line.</exception>
    public static (string Origin, long TreeSize, byte[] RootHash) ParseBody(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] lines = text.Split('\n');
        if (lines.Length < 4 || lines[^1].Length != 0 || lines[..^1].Any(static l => l.Length == 0))
        {
            throw new FormatException("A checkpoint's text is at least three non-empty lines: origin, tree size, root hash.");
        }

        if (!long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out long size) || (lines[1].Length > 1 && lines[1][0] == '0'))
        {
            throw new FormatException($"The checkpoint's tree size line '{Shorten(lines[1])}' is not a decimal without leading zeroes.");
        }

        byte[] root;
        try
        {
            root = Convert.FromBase64String(lines[2]);
        }
        catch (FormatException)
        {
            throw new FormatException("The checkpoint's root hash line is not base64.");
        }

        return root.Length == MerkleTree.HashSize
            ? (lines[0], size, root)
            : throw new FormatException($"The checkpoint's root hash is {root.Length} bytes, not {MerkleTree.HashSize}.");
    }

    /// <summary>The note text of a checkpoint: origin, size and base64 root, one per line.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="treeSize">The size.</param>
    /// <param name="rootHash">The root.</param>
    /// <returns>The text.</returns>
    public static string NoteText(string origin, long treeSize, byte[] rootHash)
    {
        ArgumentNullException.ThrowIfNull(rootHash);
        if (!NoteVerifier.IsValidKeyName(origin))
        {
            throw new ArgumentException($"origin '{origin}' must be non-empty, without spaces, '+' or control characters.", nameof(origin));
        }

        return string.Create(CultureInfo.InvariantCulture, $"{origin}\n{treeSize}\n{Convert.ToBase64String(rootHash)}\n");
    }

    /// <summary>Signs a new checkpoint as a signed note of <paramref name="origin"/>.</summary>
    /// <param name="origin">The log's origin (also the signature's key name).</param>
    /// <param name="treeSize">How many records the tree covers.</param>
    /// <param name="rootHash">Their Merkle root.</param>
    /// <param name="issuedAt">Now.</param>
    /// <param name="key">A signing key valid at <paramref name="issuedAt"/>.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidOperationException">The key cannot sign, or is not valid at <paramref name="issuedAt"/>.</exception>
    public static ActivityCheckpoint Sign(string origin, long treeSize, byte[] rootHash, DateTimeOffset issuedAt, ActivityCheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsValidAt(issuedAt))
        {
            throw new InvalidOperationException($"Checkpoint key '{key.Id}' is valid from {key.NotBefore:O} to {key.NotAfter:O}, not at {issuedAt:O}: configure the current key.");
        }

        string text = NoteText(origin, treeSize, rootHash);
        return FromNote(new SignedNote(text, [key.SignNote(origin, text)]), issuedAt, key.Id);
    }

    /// <summary>The log's origin (the first line of the note); null for a v1 checkpoint.</summary>
    public string? Origin { get; private init; }

    /// <summary>The checkpoint as a signed note, with the witnesses' cosignatures it gathered; null for a v1 checkpoint.</summary>
    public SignedNote? Note { get; private init; }

    /// <summary>The note's signatures other than the log's (witness cosignatures, unverified: check them with <see cref="SignedNote.Check"/>).</summary>
    public IReadOnlyList<NoteSignature> Cosignatures => Note is null ? [] : [.. Note.Signatures.Where(s => s.KeyName != Origin)];

    /// <summary>This checkpoint with more signatures on its note (a witness's cosignatures).</summary>
    /// <param name="cosignatures">The signatures to add.</param>
    /// <returns>A new checkpoint.</returns>
    /// <exception cref="InvalidOperationException">A v1 checkpoint, which is not a note.</exception>
    public ActivityCheckpoint WithCosignatures(IEnumerable<NoteSignature> cosignatures)
    {
        ArgumentNullException.ThrowIfNull(cosignatures);
        return Note is null
            ? throw new InvalidOperationException("A v1 checkpoint is not a signed note: it cannot carry cosignatures.")
            : new ActivityCheckpoint(TreeSize, RootHash, IssuedAt, KeyId, Signature) { Origin = Origin, Note = Note.WithSignatures(cosignatures) };
    }

    /// <summary>Creates a checkpoint from its parts (as read back from a sink).</summary>
    /// <param name="treeSize">How many records the tree covers.</param>
    /// <param name="rootHash">The 32-byte Merkle root.</param>
    /// <param name="issuedAt">When it was signed.</param>
    /// <param name="keyId">The signing key's id.</param>
    /// <param name="signature">The signature over <see cref="SignedBytes"/>.</param>
    public ActivityCheckpoint(long treeSize, byte[] rootHash, DateTimeOffset issuedAt, string keyId, byte[] signature)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(treeSize);
        ArgumentNullException.ThrowIfNull(rootHash);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ArgumentNullException.ThrowIfNull(signature);
        TreeSize = treeSize;
        RootHash = rootHash;
        IssuedAt = issuedAt.ToUniversalTime();
        KeyId = keyId;
        Signature = signature;
    }

    /// <summary>How many records (leaves) the tree covers.</summary>
    public long TreeSize { get; }

    /// <summary>The Merkle root of those records.</summary>
    public byte[] RootHash { get; }

    /// <summary>When the checkpoint was signed (UTC).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The id of the key that signed it; the verifier uses that key only within its validity window.</summary>
    public string KeyId { get; }

    /// <summary>The log's signature: over the note text (a note checkpoint), or over <see cref="SignedBytes"/> (v1, ECDSA P-256 / SHA-256, IEEE P1363).</summary>
    public byte[] Signature { get; }

    /// <summary>The signed text, UTF-8: the format, the size, the root (base64), the time (ticks) and the key id, one per line.</summary>
    /// <param name="treeSize">The size.</param>
    /// <param name="rootHash">The root.</param>
    /// <param name="issuedAt">The time.</param>
    /// <param name="keyId">The key id.</param>
    /// <returns>The bytes to sign.</returns>
    public static byte[] SignedBytes(long treeSize, byte[] rootHash, DateTimeOffset issuedAt, string keyId) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{Format}\n{treeSize}\n{Convert.ToBase64String(rootHash)}\n{issuedAt.UtcTicks}\n{keyId}\n"));

    /// <summary>Signs a new checkpoint.</summary>
    /// <param name="treeSize">How many records the tree covers.</param>
    /// <param name="rootHash">Their Merkle root.</param>
    /// <param name="issuedAt">Now.</param>
    /// <param name="key">A signing key valid at <paramref name="issuedAt"/>.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="InvalidOperationException">The key cannot sign, or is not valid at <paramref name="issuedAt"/>.</exception>
    public static ActivityCheckpoint Sign(long treeSize, byte[] rootHash, DateTimeOffset issuedAt, ActivityCheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.IsValidAt(issuedAt))
        {
            throw new InvalidOperationException($"Checkpoint key '{key.Id}' is valid from {key.NotBefore:O} to {key.NotAfter:O}, not at {issuedAt:O}: configure the current key.");
        }

        return new ActivityCheckpoint(treeSize, rootHash, issuedAt, key.Id, key.Sign(SignedBytes(treeSize, rootHash, issuedAt, key.Id)));
    }

    /// <summary>Whether the signature holds with <paramref name="key"/>, which must have this checkpoint's key id and be valid at its time.</summary>
    /// <param name="key">A trusted key.</param>
    /// <returns>Whether the checkpoint is authentic.</returns>
    public bool IsSignedBy(ActivityCheckpointKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Id != KeyId || !key.IsValidAt(IssuedAt))
        {
            return false;
        }

        return Note is null
            ? key.Verify(SignedBytes(TreeSize, RootHash, IssuedAt, KeyId), Signature)
            : Note.Check([key.NoteVerifier(Origin!)]).Verified.Count == 1;
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
