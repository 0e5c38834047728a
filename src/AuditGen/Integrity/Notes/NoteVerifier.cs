using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// A public key that verifies note signatures, in the C2SP verifier key (<c>vkey</c>) encoding:
/// <c>&lt;name&gt;+&lt;hex key id&gt;+base64(type ‖ public key)</c>. Ed25519 (<c>0x01</c>), ECDSA P-256 (<c>0x02</c>,
/// DER SubjectPublicKeyInfo) and <c>cosignature/v1</c> (<c>0x04</c>) keys.
/// </summary>
public sealed class NoteVerifier
{
    private readonly ECDsa? _ecdsa;

    private NoteVerifier(string name, uint keyId, NoteSignatureType type, byte[] publicKey, ECDsa? ecdsa)
    {
        Name = name;
        KeyId = keyId;
        Type = type;
        PublicKey = publicKey;
        _ecdsa = ecdsa;
    }

    /// <summary>The key's name (for a checkpoint key, the log's origin; for a witness, its name).</summary>
    public string Name { get; }

    /// <summary>The key id written in front of each signature.</summary>
    public uint KeyId { get; }

    /// <summary>The signature type.</summary>
    public NoteSignatureType Type { get; }

    /// <summary>The public key material: 32 bytes for Ed25519 and cosignatures, DER SubjectPublicKeyInfo for ECDSA.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The verifier key as text (<c>name+keyid+base64</c>).</summary>
    /// <returns>The vkey.</returns>
    public override string ToString()
    {
        byte[] material = new byte[1 + PublicKey.Length];
        material[0] = (byte)Type;
        PublicKey.CopyTo(material, 1);
        return $"{Name}+{KeyId:x8}+{Convert.ToBase64String(material)}";
    }

    /// <summary>A verifier from its name, type and public key (the key id computed as the spec says).</summary>
    /// <param name="name">The key name.</param>
    /// <param name="type">The signature type.</param>
    /// <param name="publicKey">The public key material.</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="ArgumentException">The name or key is not valid for the type, naming the field.</exception>
    public static NoteVerifier Create(string name, NoteSignatureType type, byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!IsValidKeyName(name))
        {
            throw new ArgumentException($"name '{name}' must be non-empty, without spaces, '+' or control characters.", nameof(name));
        }

        ECDsa? ecdsa = null;
        if (type == NoteSignatureType.EcdsaP256)
        {
            ecdsa = ImportEcdsa(publicKey) ?? throw new ArgumentException("publicKey is not the DER SubjectPublicKeyInfo of a P-256 key.", nameof(publicKey));
        }
        else if (type is NoteSignatureType.Ed25519 or NoteSignatureType.CosignatureV1)
        {
            if (publicKey.Length != Ed25519.PublicKeySize)
            {
                throw new ArgumentException($"publicKey of an Ed25519 key is {Ed25519.PublicKeySize} bytes, not {publicKey.Length}.", nameof(publicKey));
            }
        }
        else
        {
            throw new ArgumentException($"type {(byte)type:x2} is not a supported signature type.", nameof(type));
        }

        return new NoteVerifier(name, ComputeKeyId(name, type, publicKey), type, [.. publicKey], ecdsa);
    }

    /// <summary>Reads a verifier key (<c>name+keyid+base64(type ‖ key)</c>).</summary>
    /// <param name="vkey">The text.</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="FormatException">The key is malformed, of an unknown type, or its id does not match, saying which.</exception>
    public static NoteVerifier Parse(string vkey)
    {
        ArgumentNullException.ThrowIfNull(vkey);
        string[] parts = vkey.Trim().Split('+', 3);
        if (parts.Length != 3 || !IsValidKeyName(parts[0]) || parts[1].Length != 8 ||
            !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint keyId))
        {
            throw new FormatException($"Not a verifier key (name+keyid+base64): '{Shorten(vkey)}'.");
        }

        byte[] material;
        try
        {
            material = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new FormatException($"Verifier key '{parts[0]}': its key is not base64.");
        }

        if (material.Length < 2 || !Enum.IsDefined((NoteSignatureType)material[0]))
        {
            throw new FormatException($"Verifier key '{parts[0]}': unknown signature type {(material.Length > 0 ? material[0] : 0):x2}.");
        }

        NoteVerifier verifier;
        try
        {
            verifier = Create(parts[0], (NoteSignatureType)material[0], material[1..]);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"Verifier key '{parts[0]}': {ex.Message}", ex);
        }

        return verifier.KeyId == keyId
            ? verifier
            : throw new FormatException($"Verifier key '{parts[0]}': its key id {keyId:x8} is not the key's ({verifier.KeyId:x8}).");
    }

    /// <summary>Whether <paramref name="signature"/> (the bytes after the key id) is this key's over the note text <paramref name="text"/>.</summary>
    /// <param name="text">The note text, UTF-8.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>Whether it verifies; false for a malformed signature.</returns>
    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature)
    {
        switch (Type)
        {
            case NoteSignatureType.Ed25519:
                return Ed25519.Verify(PublicKey, text, signature);
            case NoteSignatureType.EcdsaP256:
                return _ecdsa!.VerifyData(text, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            default:
                if (signature.Length != 8 + Ed25519.SignatureSize || BinaryPrimitives.ReadUInt64BigEndian(signature) > long.MaxValue)
                {
                    return false;
                }

                return Ed25519.Verify(PublicKey, CosignedMessage(BinaryPrimitives.ReadUInt64BigEndian(signature), text), signature[8..]);
        }
    }

    /// <summary>The time in a <c>cosignature/v1</c> signature (its first 8 bytes, POSIX seconds), or null when it has none.</summary>
    /// <param name="signature">A cosignature.</param>
    /// <returns>The time the witness signed it.</returns>
    public static DateTimeOffset? CosignatureTime(NoteSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return signature.Signature.Length == 8 + Ed25519.SignatureSize && BinaryPrimitives.ReadUInt64BigEndian(signature.Signature) is var seconds &&
            seconds <= (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            ? DateTimeOffset.FromUnixTimeSeconds((long)seconds)
            : null;
    }

    /// <summary>The key id the spec recommends: SHA-256(name ‖ 0x0A ‖ type ‖ key)[:4]; for ECDSA, SHA-256(DER SPKI)[:4].</summary>
    /// <param name="name">The key name.</param>
    /// <param name="type">The signature type.</param>
    /// <param name="publicKey">The public key material.</param>
    /// <returns>The key id.</returns>
    public static uint ComputeKeyId(string name, NoteSignatureType type, ReadOnlySpan<byte> publicKey)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (type == NoteSignatureType.EcdsaP256)
        {
            return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(publicKey));
        }

        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        input[nameBytes.Length + 1] = (byte)type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    /// <summary>What a <c>cosignature/v1</c> signs: <c>cosignature/v1\ntime &lt;t&gt;\n</c> and the checkpoint text.</summary>
    internal static byte[] CosignedMessage(ulong timestamp, ReadOnlySpan<byte> text)
    {
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"cosignature/v1\ntime {timestamp}\n"));
        byte[] message = new byte[header.Length + text.Length];
        header.CopyTo(message, 0);
        text.CopyTo(message.AsSpan(header.Length));
        return message;
    }

    /// <summary>Whether a key name is allowed: non-empty, no Unicode spaces, no <c>+</c>, no control characters.</summary>
    internal static bool IsValidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (char c in name)
        {
            if (c == '+' || char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    private static ECDsa? ImportEcdsa(byte[] spki)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out int read);
            if (read == spki.Length && key.ExportParameters(false).Curve.Oid?.Value == ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                return key;
            }
        }
        catch (CryptographicException)
        {
        }

        key.Dispose();
        return null;
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
