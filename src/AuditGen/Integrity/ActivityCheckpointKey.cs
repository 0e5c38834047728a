using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace AuditGen.Integrity;

/// <summary>
/// An ECDSA P-256 key that signs (private) or verifies (public) checkpoints, with an id and a validity window, so keys
/// can rotate: a checkpoint is checked only with the key of its id whose window holds its time. Stored as JSON
/// (<see cref="ToJson"/>): the public form for verifiers, the private form for the application that signs.
/// </summary>
public sealed class ActivityCheckpointKey : IDisposable
{
    private readonly ECDsa _key;

    private ActivityCheckpointKey(string id, DateTimeOffset notBefore, DateTimeOffset notAfter, ECDsa key, bool canSign)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (notAfter <= notBefore)
        {
            throw new ArgumentOutOfRangeException(nameof(notAfter), notAfter, "A key's window ends after it begins.");
        }

        Id = id;
        NotBefore = notBefore.ToUniversalTime();
        NotAfter = notAfter.ToUniversalTime();
        _key = key;
        CanSign = canSign;
    }

    /// <summary>The key's id, written into every checkpoint it signs.</summary>
    public string Id { get; }

    /// <summary>The start of the window in which checkpoints signed with this key are valid.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>The end (exclusive) of the window.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>Whether this holds the private key.</summary>
    public bool CanSign { get; }

    /// <summary>Creates a new signing key.</summary>
    /// <param name="id">Its id, such as <c>audit-2026-11</c>.</param>
    /// <param name="notBefore">When it starts to be valid.</param>
    /// <param name="notAfter">When it stops (exclusive); <see cref="DateTimeOffset.MaxValue"/> for no end.</param>
    /// <returns>The key, with its private part.</returns>
    public static ActivityCheckpointKey Create(string id, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        new(id, notBefore, notAfter, ECDsa.Create(ECCurve.NamedCurves.nistP256), canSign: true);

    /// <summary>Whether <paramref name="at"/> is within the key's window.</summary>
    /// <param name="at">A time.</param>
    /// <returns><see langword="true"/> when <see cref="NotBefore"/> &lt;= at &lt; <see cref="NotAfter"/>.</returns>
    public bool IsValidAt(DateTimeOffset at) => at >= NotBefore && at < NotAfter;

    /// <summary>Signs <paramref name="data"/> (ECDSA P-256, SHA-256, IEEE P1363).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="InvalidOperationException">This is a public key.</exception>
    public byte[] Sign(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return CanSign
            ? _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : throw new InvalidOperationException($"Checkpoint key '{Id}' is a public key: it verifies, it cannot sign.");
    }

    /// <summary>Whether <paramref name="signature"/> is this key's over <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>Whether it verifies.</returns>
    public bool Verify(byte[] data, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(signature);
        return _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>The public half, for verifiers.</summary>
    /// <returns>A key that only verifies.</returns>
    public ActivityCheckpointKey PublicKey()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        return new ActivityCheckpointKey(Id, NotBefore, NotAfter, key, canSign: false);
    }

    /// <summary>The key as JSON: id, window, the public key (SubjectPublicKeyInfo, base64), and with <paramref name="includePrivate"/> the private key (PKCS#8, base64).</summary>
    /// <param name="includePrivate">Whether to write the private key; keep that file secret.</param>
    /// <returns>The JSON text.</returns>
    public string ToJson(bool includePrivate = false)
    {
        if (includePrivate && !CanSign)
        {
            throw new InvalidOperationException($"Checkpoint key '{Id}' has no private part to write.");
        }

        var values = new Dictionary<string, string>
        {
            ["id"] = Id,
            ["notBefore"] = NotBefore.ToString("O", CultureInfo.InvariantCulture),
            ["notAfter"] = NotAfter.ToString("O", CultureInfo.InvariantCulture),
            ["publicKey"] = Convert.ToBase64String(_key.ExportSubjectPublicKeyInfo()),
        };
        if (includePrivate)
        {
            values["privateKey"] = Convert.ToBase64String(_key.ExportPkcs8PrivateKey());
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach (KeyValuePair<string, string> value in values)
            {
                writer.WriteString(value.Key, value.Value);
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a key written by <see cref="ToJson"/>: a signing key when it has the private part, else a verifying one.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="FormatException">The text is not a checkpoint key, naming the missing or bad field.</exception>
    public static ActivityCheckpointKey FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            string id = Field(root, "id");
            DateTimeOffset notBefore = DateTimeOffset.Parse(Field(root, "notBefore"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            DateTimeOffset notAfter = DateTimeOffset.Parse(Field(root, "notAfter"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            var key = ECDsa.Create();
            bool canSign = root.TryGetProperty("privateKey", out JsonElement secret);
            if (canSign)
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(secret.GetString() ?? ""), out _);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Field(root, "publicKey")), out _);
            }

            if (key.KeySize != 256)
            {
                throw new FormatException($"Checkpoint key '{id}' is not a P-256 key.");
            }

            return new ActivityCheckpointKey(id, notBefore, notAfter, key, canSign);
        }
        catch (Exception ex) when (ex is JsonException or CryptographicException or ArgumentException or InvalidOperationException)
        {
            throw new FormatException($"Not a checkpoint key: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Loads the signing key at <paramref name="path"/>, creating it (valid from now, without end) when the file does not
    /// exist, with its public half beside it (<c>.public.json</c>). For development and samples; production keys come from a
    /// secret store.
    /// </summary>
    /// <param name="path">The private key file, such as <c>audit.db.checkpoint-key.json</c>.</param>
    /// <param name="id">The id of a new key.</param>
    /// <param name="clock">Stamps a new key's window; <see cref="TimeProvider.System"/> when null.</param>
    /// <returns>The key and whether it was created now.</returns>
    public static (ActivityCheckpointKey Key, bool Created) LoadOrCreate(string path, string id = "development", TimeProvider? clock = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            return (FromJson(File.ReadAllText(path)), false);
        }

        DateTimeOffset now = (clock ?? TimeProvider.System).GetUtcNow();
        ActivityCheckpointKey key = Create(id, now.AddMinutes(-5), DateTimeOffset.MaxValue);
        var secret = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            secret.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // the private key: the owner only
        }

        using (var writer = new StreamWriter(path, System.Text.Encoding.UTF8, secret))
        {
            writer.Write(key.ToJson(includePrivate: true));
        }

        File.WriteAllText(PublicPath(path), key.PublicKey().ToJson());
        return (key, true);
    }

    /// <summary>Where <see cref="LoadOrCreate"/> writes the public half of the key at <paramref name="path"/>.</summary>
    /// <param name="path">The private key file.</param>
    /// <returns>The public key file.</returns>
    public static string PublicPath(string path) =>
        (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? path[..^5] : path) + ".public.json";

    /// <inheritdoc/>
    public void Dispose() => _key.Dispose();

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"Checkpoint key JSON has no '{name}'.");
}
