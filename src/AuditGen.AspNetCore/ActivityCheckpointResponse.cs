using System.ComponentModel;
using AuditGen.Integrity;

namespace AuditGen.AspNetCore;

/// <summary>A signed checkpoint: the first <paramref name="TreeSize"/> records have the Merkle root <paramref name="RootHash"/>.</summary>
/// <param name="TreeSize">How many records the tree covers.</param>
/// <param name="RootHash">The RFC 6962 Merkle root, base64.</param>
/// <param name="IssuedAt">When it was signed.</param>
/// <param name="KeyId">The signing key's id.</param>
/// <param name="Signature">ECDSA P-256 / SHA-256 (IEEE P1363), base64, over the checkpoint's signed text (docs/tamper-evidence.md).</param>
public sealed record ActivityCheckpointResponse(
    [property: Description("How many records (in sequence order) the tree covers.")] long TreeSize,
    [property: Description("The RFC 6962 Merkle root of those records, base64.")] string RootHash,
    [property: Description("When the checkpoint was signed.")] DateTimeOffset IssuedAt,
    [property: Description("The id of the key that signed it.")] string KeyId,
    [property: Description("ECDSA P-256 / SHA-256 signature (IEEE P1363), base64, over the signed text of docs/tamper-evidence.md.")] string Signature)
{
    internal static ActivityCheckpointResponse From(ActivityCheckpoint checkpoint) => new(
        checkpoint.TreeSize, Convert.ToBase64String(checkpoint.RootHash), checkpoint.IssuedAt, checkpoint.KeyId, Convert.ToBase64String(checkpoint.Signature));
}
