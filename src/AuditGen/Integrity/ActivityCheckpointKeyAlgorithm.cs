namespace AuditGen.Integrity;

/// <summary>The signature algorithm of an <see cref="ActivityCheckpointKey"/>.</summary>
public enum ActivityCheckpointKeyAlgorithm
{
    /// <summary>ECDSA P-256 with SHA-256: the keys made before checkpoints were signed notes (note signature type <c>0x02</c>).</summary>
    EcdsaP256,

    /// <summary>Ed25519 (note signature type <c>0x01</c>): new keys, on .NET 9 and later.</summary>
    Ed25519,
}
