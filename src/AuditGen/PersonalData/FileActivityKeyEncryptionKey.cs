using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AuditGen;

/// <summary>
/// A key-encryption key kept in a file: 32 random bytes for AES-GCM, as JSON <c>{"id":"…","key":"base64"}</c>. The default
/// beside a database (<c>audit.db.kek.json</c>, <see cref="Integrity.ActivityCheckpointFiles.KeyEncryptionKey"/>), created on
/// first run with owner-only permissions, like the checkpoint key. For development and single-machine apps; production
/// keeps the KEK in a secret store or uses ASP.NET Core Data Protection.
/// </summary>
public sealed class FileActivityKeyEncryptionKey : IActivityKeyEncryptionKey
{
    private static readonly byte[] Domain = "auditgen-kek-v1"u8.ToArray();
    private readonly byte[] _key;

    private FileActivityKeyEncryptionKey(string id, byte[] key)
    {
        Id = id;
        _key = key;
    }

    /// <inheritdoc/>
    public string Id { get; }

    /// <summary>A new random key.</summary>
    /// <returns>The key.</returns>
    public static FileActivityKeyEncryptionKey Create()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        return new FileActivityKeyEncryptionKey("kek-" + Guid.NewGuid().ToString("N")[..12], key);
    }

    /// <summary>Loads the key at <paramref name="path"/>, creating it (owner-only on Unix) when the file does not exist.</summary>
    /// <param name="path">Such as <c>audit.db.kek.json</c>.</param>
    /// <returns>The key and whether it was created now.</returns>
    /// <exception cref="FormatException">The file is not a key.</exception>
    public static (FileActivityKeyEncryptionKey Key, bool Created) LoadOrCreate(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return (FromJson(File.ReadAllText(path)), false);
        }

        FileActivityKeyEncryptionKey key = Create();
        var secret = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            secret.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, Encoding.UTF8, secret);
            writer.Write(key.ToJson());
        }
        catch (IOException) when (File.Exists(path))
        {
            return (FromJson(File.ReadAllText(path)), false); // another process made it first
        }

        return (key, true);
    }

    /// <summary>The key as JSON (secret: write it where only the application can read it).</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson() => $"{{\"id\":\"{Id}\",\"key\":\"{Convert.ToBase64String(_key)}\"}}";

    /// <summary>Reads a key written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is not a key.</exception>
    public static FileActivityKeyEncryptionKey FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            string id = document.RootElement.GetProperty("id").GetString() ?? "";
            byte[] key = Convert.FromBase64String(document.RootElement.GetProperty("key").GetString() ?? "");
            if (id.Length == 0 || key.Length != 32)
            {
                throw new FormatException("A key-encryption key has an id and 32 key bytes.");
            }

            return new FileActivityKeyEncryptionKey(id, key);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"Not a key-encryption key: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public byte[] Wrap(ReadOnlySpan<byte> dataKey, Guid keyId)
    {
        byte[] output = new byte[12 + dataKey.Length + 16];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(output.AsSpan(0, 12), dataKey, output.AsSpan(12, dataKey.Length), output.AsSpan(12 + dataKey.Length), Aad(keyId));
        return output;
    }

    /// <inheritdoc/>
    public byte[] Unwrap(ReadOnlySpan<byte> wrappedKey, Guid keyId)
    {
        if (wrappedKey.Length < 12 + 16)
        {
            throw new CryptographicException("The wrapped key is too short.");
        }

        byte[] key = new byte[wrappedKey.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(wrappedKey[..12], wrappedKey[12..^16], wrappedKey[^16..], key, Aad(keyId));
        return key;
    }

    private static byte[] Aad(Guid keyId)
    {
        byte[] aad = new byte[Domain.Length + 16];
        Domain.CopyTo(aad, 0);
        keyId.TryWriteBytes(aad.AsSpan(Domain.Length), bigEndian: true, out _);
        return aad;
    }
}
