using System.Globalization;
using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// A signed statement of the log's state: the first <see cref="TreeSize"/> records (in sequence order) have the Merkle
/// root <see cref="RootHash"/>, as of <see cref="IssuedAt"/>, signed with the key <see cref="KeyId"/>. Written outside the
/// database by <see cref="ActivityCheckpointer"/>; checked by <see cref="ActivityLogVerifier"/>.
/// </summary>
public sealed class ActivityCheckpoint
{
    /// <summary>The first line of the signed text: the format and its version.</summary>
    public const string Format = "auditgen-checkpoint/v1";

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

    /// <summary>The ECDSA P-256 / SHA-256 signature (IEEE P1363) over <see cref="SignedBytes"/>.</summary>
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
        return key.Id == KeyId && key.IsValidAt(IssuedAt) && key.Verify(SignedBytes(TreeSize, RootHash, IssuedAt, KeyId), Signature);
    }
}
