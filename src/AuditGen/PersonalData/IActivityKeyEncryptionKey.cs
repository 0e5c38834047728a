namespace AuditGen;

/// <summary>
/// The application's key-encryption key (KEK): it wraps every data subject's key before a store keeps it. ASP.NET Core Data
/// Protection's <c>IDataProtector</c> (AuditGen.AspNetCore) or a key file beside the database
/// (<see cref="FileActivityKeyEncryptionKey"/>). Losing it makes every sealed value unreadable.
/// </summary>
public interface IActivityKeyEncryptionKey
{
    /// <summary>This key's id, stored beside each key it wraps (so rotation knows what to re-wrap).</summary>
    string Id { get; }

    /// <summary>Wraps a data key.</summary>
    /// <param name="dataKey">The 32 key bytes.</param>
    /// <param name="keyId">The data key's id (bound into the wrapping).</param>
    /// <returns>The wrapped bytes.</returns>
    byte[] Wrap(ReadOnlySpan<byte> dataKey, Guid keyId);

    /// <summary>Unwraps a data key.</summary>
    /// <param name="wrappedKey">Bytes from <see cref="Wrap"/>.</param>
    /// <param name="keyId">The data key's id.</param>
    /// <returns>The key bytes.</returns>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The bytes were not wrapped by this key for that id.</exception>
    byte[] Unwrap(ReadOnlySpan<byte> wrappedKey, Guid keyId);
}
