using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace AuditGen.Integrity;

/// <summary>
/// A key that signs (private) or verifies (public) checkpoints, with an id and a validity window, so keys can rotate: a
/// checkpoint is checked only with the key of its id whose window holds its time. Ed25519 for new keys (on .NET 9 and
/// later); ECDSA P-256 keys, the only kind before checkpoints became signed notes, keep signing and verifying (note
/// signature type <c>0x02</c>). Stored as JSON (<see cref="ToJson"/>): the public form for verifiers, the private form for
/// the application that signs.
/// </summary>
public sealed class ActivityCheckpointKey : IDisposable
{
    private readonly ECDsa? _key;
    private readonly byte[]? _seed;
    private readonly byte[]? _publicKey;

    private ActivityCheckpointKey(string id, DateTimeOffset notBefore, DateTimeOffset notAfter, ECDsa key, bool canSign)
        : this(id, notBefore, notAfter, canSign)
    {
        _key = key;
        Algorithm = ActivityCheckpointKeyAlgorithm.EcdsaP256;
    }

    private ActivityCheckpointKey(string id, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[]? seed, byte[] publicKey)
        : this(id, notBefore, notAfter, canSign: seed is not null)
    {
        _seed = seed;
        _publicKey = publicKey;
        Algorithm = ActivityCheckpointKeyAlgorithm.Ed25519;
    }

    private ActivityCheckpointKey(string id, DateTimeOffset notBefore, DateTimeOffset notAfter, bool canSign)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (notAfter <= notBefore)
        {
            throw new ArgumentOutOfRangeException(nameof(notAfter), notAfter, "A key's window ends after it begins.");
        }

        Id = id;
        NotBefore = notBefore.ToUniversalTime();
        NotAfter = notAfter.ToUniversalTime();
        CanSign = canSign;
    }

    /// <summary>The signature algorithm.</summary>
    public ActivityCheckpointKeyAlgorithm Algorithm { get; }

    /// <summary>The key's id, written into every checkpoint it signs.</summary>
    public string Id { get; }

    /// <summary>The start of the window in which checkpoints signed with this key are valid.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>The end (exclusive) of the window.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>Whether this holds the private key.</summary>
    public bool CanSign { get; }

    /// <summary>Creates a new signing key: Ed25519 on .NET 9 and later, ECDSA P-256 on .NET 8 (which has no Ed25519).</summary>
    /// <param name="id">Its id, such as <c>audit-2026-11</c>.</param>
    /// <param name="notBefore">When it starts to be valid.</param>
    /// <param name="notAfter">When it stops (exclusive); <see cref="DateTimeOffset.MaxValue"/> for no end.</param>
    /// <returns>The key, with its private part.</returns>
    public static ActivityCheckpointKey Create(string id, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        Create(id, notBefore, notAfter, Ed25519.IsSupported ? ActivityCheckpointKeyAlgorithm.Ed25519 : ActivityCheckpointKeyAlgorithm.EcdsaP256);

    /// <summary>Creates a new signing key of the given algorithm.</summary>
    /// <param name="id">Its id, such as <c>audit-2026-11</c>.</param>
    /// <param name="notBefore">When it starts to be valid.</param>
    /// <param name="notAfter">When it stops (exclusive); <see cref="DateTimeOffset.MaxValue"/> for no end.</param>
    /// <param name="algorithm">The algorithm.</param>
    /// <returns>The key, with its private part.</returns>
    /// <exception cref="PlatformNotSupportedException">Ed25519 on .NET 8.</exception>
    public static ActivityCheckpointKey Create(string id, DateTimeOffset notBefore, DateTimeOffset notAfter, ActivityCheckpointKeyAlgorithm algorithm)
    {
        if (algorithm == ActivityCheckpointKeyAlgorithm.EcdsaP256)
        {
            return new(id, notBefore, notAfter, ECDsa.Create(ECCurve.NamedCurves.nistP256), canSign: true);
        }

        if (algorithm != ActivityCheckpointKeyAlgorithm.Ed25519)
        {
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "algorithm is Ed25519 or EcdsaP256.");
        }

        byte[] seed = Ed25519.NewSeed();
        return new(id, notBefore, notAfter, seed, Ed25519.PublicKeyOf(seed));
    }

    /// <summary>
    /// The key as a signed-note verifier key for checkpoints of <paramref name="origin"/> (the key name is the origin), such
    /// as a witness is configured with: <c>&lt;origin&gt;+&lt;key id&gt;+base64(type ‖ public key)</c>.
    /// </summary>
    /// <param name="origin">The log's origin.</param>
    /// <returns>The verifier.</returns>
    public NoteVerifier NoteVerifier(string origin) => Algorithm == ActivityCheckpointKeyAlgorithm.Ed25519
        ? Integrity.NoteVerifier.Create(origin, NoteSignatureType.Ed25519, _publicKey!)
        : Integrity.NoteVerifier.Create(origin, NoteSignatureType.EcdsaP256, _key!.ExportSubjectPublicKeyInfo());

    /// <summary>Signs a note text as the key named <paramref name="origin"/>.</summary>
    internal NoteSignature SignNote(string origin, string text)
    {
        if (!CanSign)
        {
            throw new InvalidOperationException($"Checkpoint key '{Id}' is a public key: it verifies, it cannot sign.");
        }

        NoteVerifier verifier = NoteVerifier(origin);
        return new NoteSignature(origin, verifier.KeyId, Algorithm == ActivityCheckpointKeyAlgorithm.Ed25519
            ? Ed25519.Sign(_seed!, System.Text.Encoding.UTF8.GetBytes(text))
            : NoteSigner.EcdsaSign(_key!, text));
    }

    /// <summary>Whether <paramref name="at"/> is within the key's window.</summary>
    /// <param name="at">A time.</param>
    /// <returns><see langword="true"/> when <see cref="NotBefore"/> &lt;= at &lt; <see cref="NotAfter"/>.</returns>
    public bool IsValidAt(DateTimeOffset at) => at >= NotBefore && at < NotAfter;

    /// <summary>Signs <paramref name="data"/> (Ed25519; or ECDSA P-256, SHA-256, IEEE P1363).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="InvalidOperationException">This is a public key.</exception>
    public byte[] Sign(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!CanSign)
        {
            throw new InvalidOperationException($"Checkpoint key '{Id}' is a public key: it verifies, it cannot sign.");
        }

        return _key is not null
            ? _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : Ed25519.Sign(_seed!, data);
    }

    /// <summary>Whether <paramref name="signature"/> is this key's over <paramref name="data"/>.</summary>
    /// <param name="data">The bytes.</param>
    /// <param name="signature">The signature.</param>
    /// <returns>Whether it verifies.</returns>
    public bool Verify(byte[] data, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(signature);
        return _key is not null
            ? _key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            : Ed25519.Verify(_publicKey, data, signature);
    }

    /// <summary>The public half, for verifiers.</summary>
    /// <returns>A key that only verifies.</returns>
    public ActivityCheckpointKey PublicKey()
    {
        if (_key is null)
        {
            return new ActivityCheckpointKey(Id, NotBefore, NotAfter, seed: null, _publicKey!);
        }

        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        return new ActivityCheckpointKey(Id, NotBefore, NotAfter, key, canSign: false);
    }

    /// <summary>
    /// The key as JSON: id, window, algorithm (<c>ed25519</c> or <c>ecdsa-p256</c>), the public key (Ed25519: 32 bytes;
    /// ECDSA: SubjectPublicKeyInfo; base64), and with <paramref name="includePrivate"/> the private key (Ed25519: the 32-byte
    /// seed; ECDSA: PKCS#8; base64).
    /// </summary>
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
            ["algorithm"] = _key is null ? Ed25519Name : "ecdsa-p256",
            ["publicKey"] = Convert.ToBase64String(_key?.ExportSubjectPublicKeyInfo() ?? _publicKey!),
        };
        if (includePrivate)
        {
            values["privateKey"] = Convert.ToBase64String(_key?.ExportPkcs8PrivateKey() ?? _seed!);
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
            string algorithm = root.TryGetProperty("algorithm", out JsonElement named) ? named.GetString() ?? "" : "ecdsa-p256"; // before Ed25519: ECDSA only
            if (algorithm == Ed25519Name)
            {
                return ReadEd25519(root, id, notBefore, notAfter);
            }

            if (algorithm != "ecdsa-p256")
            {
                throw new FormatException($"Checkpoint key '{id}' has algorithm '{algorithm}': expected ed25519 or ecdsa-p256.");
            }

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
        catch (Exception ex) when (ex is JsonException or CryptographicException or ArgumentException or InvalidOperationException or PlatformNotSupportedException)
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
    public void Dispose() => _key?.Dispose();

    private const string Ed25519Name = "ed25519";

    private static ActivityCheckpointKey ReadEd25519(JsonElement root, string id, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (root.TryGetProperty("privateKey", out JsonElement secret))
        {
            byte[] seed = Convert.FromBase64String(secret.GetString() ?? "");
            if (seed.Length != Ed25519.SeedSize)
            {
                throw new FormatException($"Checkpoint key '{id}': an Ed25519 privateKey is {Ed25519.SeedSize} bytes, not {seed.Length}.");
            }

            return new ActivityCheckpointKey(id, notBefore, notAfter, seed, Ed25519.PublicKeyOf(seed));
        }

        byte[] publicKey = Convert.FromBase64String(Field(root, "publicKey"));
        return publicKey.Length == Ed25519.PublicKeySize
            ? new ActivityCheckpointKey(id, notBefore, notAfter, seed: null, publicKey)
            : throw new FormatException($"Checkpoint key '{id}': an Ed25519 publicKey is {Ed25519.PublicKeySize} bytes, not {publicKey.Length}.");
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new FormatException($"Checkpoint key JSON has no '{name}'.");
}
