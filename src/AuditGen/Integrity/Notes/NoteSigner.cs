using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// A private key that signs notes: an Ed25519 note key (<c>0x01</c>), or a witness's <c>cosignature/v1</c> key (<c>0x04</c>).
/// Its text form is the Go note package's signer key, <c>PRIVATE+KEY+&lt;name&gt;+&lt;hex key id&gt;+base64(type ‖ 32-byte seed)</c>:
/// keep it secret.
/// </summary>
public sealed class NoteSigner
{
    private const string Prefix = "PRIVATE+KEY+";
    private readonly byte[] _seed;

    private NoteSigner(string name, NoteSignatureType type, byte[] seed)
    {
        _seed = seed;
        Verifier = NoteVerifier.Create(name, type, Ed25519.PublicKeyOf(seed));
    }

    /// <summary>The public half.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>The key name.</summary>
    public string Name => Verifier.Name;

    /// <summary>The key id.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>A new random key.</summary>
    /// <param name="name">Its name: for a log's key the origin, for a witness a name such as <c>witness.example.com/w1</c>.</param>
    /// <param name="type"><see cref="NoteSignatureType.Ed25519"/> or <see cref="NoteSignatureType.CosignatureV1"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentException">The name is not a valid key name, or the type is not an Ed25519 one.</exception>
    /// <exception cref="PlatformNotSupportedException">On .NET 8, which has no Ed25519.</exception>
    public static NoteSigner Generate(string name, NoteSignatureType type = NoteSignatureType.Ed25519) =>
        new(CheckName(name), CheckType(type), Ed25519.NewSeed());

    /// <summary>Reads a signer key written by <see cref="ToString"/> (or the Go note package).</summary>
    /// <param name="skey">The text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is not a signer key, or its id does not match its key.</exception>
    public static NoteSigner Parse(string skey)
    {
        ArgumentNullException.ThrowIfNull(skey);
        string text = skey.Trim();
        string[] parts = text.StartsWith(Prefix, StringComparison.Ordinal) ? text[Prefix.Length..].Split('+', 3) : [];
        if (parts.Length != 3 || !NoteVerifier.IsValidKeyName(parts[0]) ||
            !uint.TryParse(parts[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint keyId))
        {
            throw new FormatException("Not a signer key (PRIVATE+KEY+name+keyid+base64).");
        }

        byte[] material;
        try
        {
            material = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            throw new FormatException($"Signer key '{parts[0]}': its key is not base64.");
        }

        if (material.Length != 1 + Ed25519.SeedSize || material[0] is not ((byte)NoteSignatureType.Ed25519 or (byte)NoteSignatureType.CosignatureV1))
        {
            throw new FormatException($"Signer key '{parts[0]}': not a 32-byte Ed25519 key of type 01 or 04.");
        }

        var signer = new NoteSigner(parts[0], (NoteSignatureType)material[0], material[1..]);
        return signer.KeyId == keyId ? signer : throw new FormatException($"Signer key '{parts[0]}': its key id {keyId:x8} is not the key's ({signer.KeyId:x8}).");
    }

    /// <summary>The signer key as text (secret).</summary>
    /// <returns><c>PRIVATE+KEY+name+keyid+base64(type ‖ seed)</c>.</returns>
    public override string ToString()
    {
        byte[] material = new byte[1 + _seed.Length];
        material[0] = (byte)Verifier.Type;
        _seed.CopyTo(material, 1);
        return $"{Prefix}{Name}+{KeyId:x8}+{Convert.ToBase64String(material)}";
    }

    /// <summary>Signs a note text with an Ed25519 note key.</summary>
    /// <param name="text">The note text, ending in a newline.</param>
    /// <returns>The signature line's parts.</returns>
    /// <exception cref="InvalidOperationException">This is a cosignature key: use <see cref="Cosign"/>.</exception>
    public NoteSignature Sign(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Verifier.Type == NoteSignatureType.Ed25519
            ? new NoteSignature(Name, KeyId, Ed25519.Sign(_seed, Encoding.UTF8.GetBytes(text)))
            : throw new InvalidOperationException($"Key '{Name}' is a cosignature key: it cosigns checkpoints (Cosign), it does not sign notes.");
    }

    /// <summary>A <c>cosignature/v1</c> over a checkpoint's text at <paramref name="at"/> (whole seconds).</summary>
    /// <param name="checkpointText">The checkpoint's note text.</param>
    /// <param name="at">The time of the cosignature.</param>
    /// <returns>The signature line's parts: the 8-byte timestamp and the Ed25519 signature.</returns>
    /// <exception cref="InvalidOperationException">This is not a cosignature key.</exception>
    public NoteSignature Cosign(string checkpointText, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(checkpointText);
        if (Verifier.Type != NoteSignatureType.CosignatureV1)
        {
            throw new InvalidOperationException($"Key '{Name}' is a note key: only a cosignature/v1 key (type 04) cosigns.");
        }

        ulong seconds = (ulong)Math.Max(0, at.ToUnixTimeSeconds());
        byte[] signature = new byte[8 + Ed25519.SignatureSize];
        BinaryPrimitives.WriteUInt64BigEndian(signature, seconds);
        Ed25519.Sign(_seed, NoteVerifier.CosignedMessage(seconds, Encoding.UTF8.GetBytes(checkpointText))).CopyTo(signature, 8);
        return new NoteSignature(Name, KeyId, signature);
    }

    private static string CheckName(string name) => NoteVerifier.IsValidKeyName(name)
        ? name
        : throw new ArgumentException($"name '{name}' must be non-empty, without spaces, '+' or control characters.", nameof(name));

    private static NoteSignatureType CheckType(NoteSignatureType type) => type is NoteSignatureType.Ed25519 or NoteSignatureType.CosignatureV1
        ? type
        : throw new ArgumentException($"type must be Ed25519 or CosignatureV1 (ECDSA keys sign through ActivityCheckpointKey), not {type}.", nameof(type));

    internal static byte[] SeedOf(NoteSigner signer) => signer._seed;

    internal static NoteSigner FromSeed(string name, NoteSignatureType type, byte[] seed) => new(CheckName(name), CheckType(type), seed);

    internal static byte[] EcdsaSign(ECDsa key, string text) =>
        key.SignData(Encoding.UTF8.GetBytes(text), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
}
