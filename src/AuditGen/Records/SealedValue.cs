using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace AuditGen;

/// <summary>
/// A personal value as stored: encrypted with AES-GCM under its subject's data key, bound to its record and its place in
/// it. The record's canonical encoding — so its Merkle leaf, the checkpoints and <c>auditgen verify</c> — covers these
/// bytes, never the clear value, which is why erasing the key leaves every record verifiable.
/// </summary>
/// <remarks>
/// Text form (storage JSON tag <c>x</c>, canonical form too): <c>subject:keyId:base64(nonce ‖ ciphertext ‖ tag)</c>, with
/// both ids in the "D" format, a 12-byte nonce and a 16-byte tag. The associated data binds the record id, the subject,
/// the key id and where the value sits (metadata key, or change entity, property and side), so a sealed value moved to
/// another record or field no longer opens.
/// </remarks>
public sealed class SealedValue : IEquatable<SealedValue>
{
    /// <summary>Bytes of the AES-GCM nonce at the start of <see cref="Ciphertext"/>.</summary>
    public const int NonceSize = 12;

    /// <summary>Bytes of the AES-GCM tag at the end of <see cref="Ciphertext"/>.</summary>
    public const int TagSize = 16;

    private readonly byte[] _ciphertext;

    /// <summary>A sealed value as read from storage.</summary>
    /// <param name="subjectId">Whose value it is.</param>
    /// <param name="keyId">The id of the data key that sealed it.</param>
    /// <param name="ciphertext">Nonce ‖ ciphertext ‖ tag (at least <see cref="NonceSize"/> + <see cref="TagSize"/> bytes).</param>
    /// <exception cref="ArgumentException">An id is empty or the bytes are too short.</exception>
    public SealedValue(Guid subjectId, Guid keyId, ReadOnlySpan<byte> ciphertext)
    {
        SubjectId = ActivityValidation.RequiredId(subjectId, nameof(subjectId), "SubjectId");
        KeyId = ActivityValidation.RequiredId(keyId, nameof(keyId), "KeyId");
        if (ciphertext.Length < NonceSize + TagSize)
        {
            throw new ArgumentException($"A sealed value holds a {NonceSize}-byte nonce and a {TagSize}-byte tag; it has {ciphertext.Length} bytes.", nameof(ciphertext));
        }

        _ciphertext = ciphertext.ToArray();
    }

    private SealedValue(Guid subjectId, Guid keyId, byte[] ciphertext)
    {
        SubjectId = subjectId;
        KeyId = keyId;
        _ciphertext = ciphertext;
    }

    /// <summary>Whose value it is.</summary>
    public Guid SubjectId { get; }

    /// <summary>The id of the subject's data key that sealed it.</summary>
    public Guid KeyId { get; }

    /// <summary>Nonce ‖ ciphertext ‖ tag.</summary>
    public ReadOnlyMemory<byte> Ciphertext => _ciphertext;

    /// <summary>The text form: <c>subject:keyId:base64</c> (see the remarks).</summary>
    /// <returns>The text.</returns>
    public string ToText() => string.Create(CultureInfo.InvariantCulture, $"{SubjectId:D}:{KeyId:D}:{Convert.ToBase64String(_ciphertext)}");

    /// <summary>Reads the text form.</summary>
    /// <param name="text">Text written by <see cref="ToText"/>.</param>
    /// <returns>The sealed value.</returns>
    /// <exception cref="FormatException">The text is not a sealed value.</exception>
    public static SealedValue Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length = Encoding.UTF8.GetByteCount(text);
        byte[]? rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> utf8 = rented ?? stackalloc byte[StackLimit];
        try
        {
            return Parse(utf8[..Encoding.UTF8.GetBytes(text, utf8)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Reads the text form from its UTF-8 bytes (as storage holds it), with no string in between.</summary>
    /// <exception cref="FormatException">The text is not a sealed value.</exception>
    internal static SealedValue Parse(ReadOnlySpan<byte> utf8)
    {
        const int GuidLength = 36;
        if (utf8.Length < 2 * GuidLength + 2 || utf8[GuidLength] != (byte)':' || utf8[2 * GuidLength + 1] != (byte)':'
            || !Utf8Parser.TryParse(utf8[..GuidLength], out Guid subject, out int read, 'D') || read != GuidLength
            || !Utf8Parser.TryParse(utf8.Slice(GuidLength + 1, GuidLength), out Guid key, out read, 'D') || read != GuidLength)
        {
            throw new FormatException("A sealed value is 'subject:keyId:base64'.");
        }

        ReadOnlySpan<byte> base64 = utf8[(2 * GuidLength + 2)..];
        byte[] bytes = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (Base64.DecodeFromUtf8(base64, bytes, out int consumed, out int written) != OperationStatus.Done || consumed != base64.Length)
        {
            throw new FormatException("A sealed value is 'subject:keyId:base64': the bytes are not base64.");
        }

        try
        {
            return written == bytes.Length ? Own(subject, key, bytes) : new SealedValue(subject, key, bytes.AsSpan(0, written));
        }
        catch (ArgumentException ex)
        {
            throw new FormatException(ex.Message, ex);
        }
    }

    /// <summary>Bytes of text parsed on the stack; longer ones are rented.</summary>
    internal const int StackLimit = 512;

    /// <summary>A sealed value that takes <paramref name="ciphertext"/> as it is (sealing and parsing made it; no copy).</summary>
    internal static SealedValue Own(Guid subjectId, Guid keyId, byte[] ciphertext)
    {
        ActivityValidation.RequiredId(subjectId, nameof(subjectId), "SubjectId");
        ActivityValidation.RequiredId(keyId, nameof(keyId), "KeyId");
        return ciphertext.Length < NonceSize + TagSize ? new SealedValue(subjectId, keyId, ciphertext.AsSpan()) : new SealedValue(subjectId, keyId, ciphertext);
    }

    /// <inheritdoc/>
    public bool Equals(SealedValue? other) =>
        other is not null && SubjectId == other.SubjectId && KeyId == other.KeyId && _ciphertext.AsSpan().SequenceEqual(other._ciphertext);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SealedValue);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(SubjectId, KeyId, _ciphertext.Length);

    /// <summary>Names the subject only: <c>sealed(subject)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"sealed({SubjectId:D})";
}
