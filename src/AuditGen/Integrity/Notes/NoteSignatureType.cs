namespace AuditGen.Integrity;

/// <summary>The signature types of C2SP <c>signed-note</c> this library reads and writes (the byte that starts a verifier key).</summary>
public enum NoteSignatureType : byte
{
    /// <summary>Ed25519 over the note text (<c>0x01</c>): new checkpoint keys.</summary>
    Ed25519 = 0x01,

    /// <summary>
    /// ECDSA P-256 with SHA-256 over the note text, ASN.1 DER signature, as the transparency-dev witness implements (<c>0x02</c>);
    /// the key id is the first four bytes of SHA-256 of the key's DER SubjectPublicKeyInfo. AuditGen's checkpoint keys made
    /// before Ed25519 are of this type and keep verifying.
    /// </summary>
    EcdsaP256 = 0x02,

    /// <summary>A timestamped Ed25519 checkpoint cosignature, C2SP <c>tlog-cosignature</c> <c>cosignature/v1</c> (<c>0x04</c>): witnesses.</summary>
    CosignatureV1 = 0x04,
}
