using System.ComponentModel;

namespace AuditGen.AspNetCore;

/// <summary>That an older checkpoint's tree is a prefix of a newer one's (RFC 9162 consistency proof).</summary>
/// <param name="From">The older checkpoint.</param>
/// <param name="To">The newer checkpoint.</param>
/// <param name="Proof">The proof's hashes, base64.</param>
public sealed record ActivityConsistencyProofResponse(
    [property: Description("The older checkpoint.")] ActivityCheckpointResponse From,
    [property: Description("The newer checkpoint.")] ActivityCheckpointResponse To,
    [property: Description("The proof's hashes, base64 (RFC 9162 section 2.1.4).")] IReadOnlyList<string> Proof);
