using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace AuditGen.AspNetCore;

/// <summary>
/// A key-encryption key over ASP.NET Core Data Protection: subject keys are wrapped by an <see cref="IDataProtector"/> (purpose
/// <see cref="Purpose"/>), so they follow the application's Data Protection key ring — its storage, encryption at rest and
/// rotation. Registered by <c>AddActivityLogDataProtection()</c>. Losing the key ring makes every sealed value unreadable.
/// </summary>
public sealed class DataProtectionActivityKeyEncryptionKey : IActivityKeyEncryptionKey
{
    /// <summary>The Data Protection purpose subject keys are protected under.</summary>
    public const string Purpose = "AuditGen.SubjectKeys.v1";

    private readonly IDataProtector _protector;

    /// <summary>Wraps subject keys with <paramref name="provider"/>'s protector for <see cref="Purpose"/>.</summary>
    /// <param name="provider">The application's Data Protection provider.</param>
    public DataProtectionActivityKeyEncryptionKey(IDataProtectionProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _protector = provider.CreateProtector(Purpose);
    }

    /// <inheritdoc/>
    /// <remarks>Always <c>data-protection</c>: the key ring rotates its own keys, and old payloads stay readable while their keys are kept.</remarks>
    public string Id => "data-protection";

    /// <inheritdoc/>
    public byte[] Wrap(ReadOnlySpan<byte> dataKey, Guid keyId)
    {
        byte[] plain = new byte[16 + dataKey.Length];
        keyId.TryWriteBytes(plain, bigEndian: true, out _);
        dataKey.CopyTo(plain.AsSpan(16));
        byte[] wrapped = _protector.Protect(plain);
        CryptographicOperations.ZeroMemory(plain);
        return wrapped;
    }

    /// <inheritdoc/>
    public byte[] Unwrap(ReadOnlySpan<byte> wrappedKey, Guid keyId)
    {
        byte[] plain = _protector.Unprotect(wrappedKey.ToArray());
        Span<byte> id = stackalloc byte[16];
        keyId.TryWriteBytes(id, bigEndian: true, out _);
        if (plain.Length < 16 || !plain.AsSpan(0, 16).SequenceEqual(id))
        {
            CryptographicOperations.ZeroMemory(plain);
            throw new CryptographicException($"The wrapped key was not made for key {keyId:D}.");
        }

        byte[] key = plain[16..];
        CryptographicOperations.ZeroMemory(plain);
        return key;
    }
}
