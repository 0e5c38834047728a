using System.ComponentModel;
using AuditGen.Integrity;

namespace AuditGen.AspNetCore;

/// <summary>A signed checkpoint: the first <paramref name="TreeSize"/> records have the Merkle root <paramref name="RootHash"/>.</summary>
/// <param name="TreeSize">How many records the tree covers.</param>
/// <param name="RootHash">The RFC 6962 Merkle root, base64.</param>
/// <param name="IssuedAt">When it was signed.</param>
/// <param name="KeyId">The signing key's id.</param>
/// <param name="Signature">The log's signature, base64: over the note text (a checkpoint note), or over the v1 signed text (docs/tamper-evidence.md).</param>
/// <param name="Origin">The log's origin (the note's first line); null for a v1 checkpoint.</param>
/// <param name="Note">The C2SP checkpoint note with the log's signature and the witnesses' cosignatures; null for a v1 checkpoint.</param>
public sealed record ActivityCheckpointResponse(
    [property: Description("How many records (in sequence order) the tree covers.")] long TreeSize,
    [property: Description("The RFC 6962 Merkle root of those records, base64.")] string RootHash,
    [property: Description("When the checkpoint was signed.")] DateTimeOffset IssuedAt,
    [property: Description("The id of the key that signed it.")] string KeyId,
    [property: Description("The log's signature, base64: over the note text (Ed25519, or ECDSA P-256 DER), or for a v1 checkpoint ECDSA P-256 (IEEE P1363) over the signed text of docs/tamper-evidence.md.")] string Signature,
    [property: Description("The log's origin, the first line of the checkpoint note; null for a v1 checkpoint.")] string? Origin = null,
    [property: Description("The C2SP tlog-checkpoint signed note: origin, size, root, the log's signature and the witnesses' cosignatures (the same as GET with Accept: text/plain); null for a v1 checkpoint.")] string? Note = null)
{
    internal static ActivityCheckpointResponse From(ActivityCheckpoint checkpoint) => new(
        checkpoint.TreeSize, Convert.ToBase64String(checkpoint.RootHash), checkpoint.IssuedAt, checkpoint.KeyId, Convert.ToBase64String(checkpoint.Signature),
        checkpoint.Origin, checkpoint.Note?.ToString());
}
