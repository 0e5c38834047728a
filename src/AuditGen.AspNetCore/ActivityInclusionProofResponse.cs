using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>That a record is in the newest checkpoint's tree (RFC 9162 inclusion proof).</summary>
/// <param name="RecordId">The record.</param>
/// <param name="Sequence">Its sequence.</param>
/// <param name="LeafIndex">Its leaf in the tree, 0-based.</param>
/// <param name="LeafHash">Its leaf hash, base64: SHA-256(0x00 ‖ canonical bytes of the record).</param>
/// <param name="Proof">The sibling hashes from the leaf up, base64.</param>
/// <param name="Checkpoint">The checkpoint the proof leads to.</param>
public sealed record ActivityInclusionProofResponse(
    [property: Description("The record's id.")] Guid RecordId,
    [property: Description("The record's sequence.")] long Sequence,
    [property: Description("The record's leaf in the Merkle tree, 0-based.")] long LeafIndex,
    [property: Description("The leaf hash, base64: SHA-256 of 0x00 and the record's canonical bytes.")] string LeafHash,
    [property: Description("The sibling hashes from the leaf up to the root, base64 (RFC 9162 section 2.1.3).")] IReadOnlyList<string> Proof,
    [property: Description("The signed checkpoint whose root the proof leads to.")] ActivityCheckpointResponse Checkpoint);
