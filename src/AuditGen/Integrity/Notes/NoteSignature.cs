using System.Buffers.Binary;

namespace AuditGen.Integrity;

/// <summary>
/// One signature line of a signed note: <c>— &lt;key name&gt; base64(key id ‖ signature)</c>. The key name and the 4-byte
/// key id name the key; <see cref="Signature"/> is what the key's algorithm produced (for a cosignature, the 8-byte
/// timestamp and the Ed25519 signature).
/// </summary>
public sealed class NoteSignature
{
    /// <summary>Creates a signature line's parts.</summary>
    /// <param name="keyName">The key's name: non-empty, without spaces or <c>+</c>.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="signature">The signature bytes after the key id.</param>
    /// <exception cref="ArgumentException">The key name is empty or has a space or <c>+</c>.</exception>
    public NoteSignature(string keyName, uint keyId, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (!NoteVerifier.IsValidKeyName(keyName))
        {
            throw new ArgumentException($"keyName '{keyName}' must be non-empty, without spaces, '+' or control characters.", nameof(keyName));
        }

        KeyName = keyName;
        KeyId = keyId;
        Signature = signature;
    }

    /// <summary>The key's name.</summary>
    public string KeyName { get; }

    /// <summary>The key id (the first four bytes of the signature, big-endian).</summary>
    public uint KeyId { get; }

    /// <summary>The signature bytes after the key id.</summary>
    public byte[] Signature { get; }

    /// <summary>The line as written in a note: em dash, space, key name, space, base64(key id ‖ signature), newline.</summary>
    /// <returns>The line.</returns>
    public string ToLine()
    {
        byte[] bytes = new byte[4 + Signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, KeyId);
        Signature.CopyTo(bytes, 4);
        return $"\u2014 {KeyName} {Convert.ToBase64String(bytes)}\n";
    }

    /// <summary>Reads one signature line (with or without its final newline).</summary>
    /// <param name="line">The line.</param>
    /// <returns>The signature.</returns>
    /// <exception cref="FormatException">The line is not a signature line, saying why.</exception>
    public static NoteSignature ParseLine(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string text = line.EndsWith('\n') ? line[..^1] : line;
        if (!text.StartsWith("\u2014 ", StringComparison.Ordinal))
        {
            throw new FormatException("A signature line starts with an em dash (U+2014) and a space.");
        }

        string[] parts = text[2..].Split(' ');
        if (parts.Length != 2 || !NoteVerifier.IsValidKeyName(parts[0]))
        {
            throw new FormatException("A signature line is '— <key name> <base64>', the key name without spaces or '+'.");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new FormatException($"The signature of '{parts[0]}' is not base64.");
        }

        if (bytes.Length < 5)
        {
            throw new FormatException($"The signature of '{parts[0]}' is shorter than a key id and a signature.");
        }

        return new NoteSignature(parts[0], BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..]);
    }
}
