#if NET9_0_OR_GREATER
using NSec.Cryptography;
#endif

namespace AuditGen.Integrity;

/// <summary>
/// Ed25519 (RFC 8032) over raw 32-byte seeds and public keys: NSec.Cryptography (libsodium) on .NET 9 and later. The BCL of
/// .NET 8 and 10 has no Ed25519 (only ML-DSA composites with it), so on .NET 8 this throws and notes use ECDSA P-256 keys.
/// </summary>
internal static class Ed25519
{
    public const int SeedSize = 32;
    public const int PublicKeySize = 32;
    public const int SignatureSize = 64;

    /// <summary>Whether Ed25519 works on this target framework.</summary>
#if NET9_0_OR_GREATER
    public static bool IsSupported => true;
#else
    public static bool IsSupported => false;
#endif

    /// <summary>A new random seed (the private key).</summary>
    public static byte[] NewSeed() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(SeedSize);

    /// <summary>The public key of a seed.</summary>
    public static byte[] PublicKeyOf(ReadOnlySpan<byte> seed)
    {
#if NET9_0_OR_GREATER
        using Key key = Import(seed);
        return key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
#else
        throw NotSupported();
#endif
    }

    /// <summary>Signs <paramref name="data"/> with the key of <paramref name="seed"/> (deterministic).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> seed, ReadOnlySpan<byte> data)
    {
#if NET9_0_OR_GREATER
        using Key key = Import(seed);
        return SignatureAlgorithm.Ed25519.Sign(key, data);
#else
        throw NotSupported();
#endif
    }

    /// <summary>Whether <paramref name="signature"/> is the key's over <paramref name="data"/>; false for malformed keys or signatures.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
#if NET9_0_OR_GREATER
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize ||
            !PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out PublicKey? key) || key is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key, data, signature);
#else
        throw NotSupported();
#endif
    }

#if NET9_0_OR_GREATER
    private static Key Import(ReadOnlySpan<byte> seed) =>
        seed.Length == SeedSize
            ? Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey)
            : throw new ArgumentException($"An Ed25519 private key is {SeedSize} bytes, not {seed.Length}.", nameof(seed));
#else
    private static PlatformNotSupportedException NotSupported() =>
        new("Ed25519 needs .NET 9 or later (NSec.Cryptography); on .NET 8 use an ECDSA P-256 checkpoint key (ActivityCheckpointKeyAlgorithm.EcdsaP256).");
#endif
}
