using System.Text;

namespace AuditGen.Integrity;

/// <summary>
/// A C2SP <c>signed-note</c>: a text ending in a newline, a blank line, and one or more signature lines. Checkpoints are
/// signed notes (C2SP <c>tlog-checkpoint</c>), and witnesses add their cosignatures as further lines.
/// </summary>
public sealed class SignedNote
{
    /// <summary>The most signature lines a note may carry (the spec requires accepting at least 16).</summary>
    public const int MaxSignatures = 100;

    /// <summary>The largest note read, in characters: 1 MiB.</summary>
    public const int MaxLength = 1 << 20;

    /// <summary>A note from its text and signatures.</summary>
    /// <param name="text">The text: non-empty, ending in a newline, no control characters but newlines.</param>
    /// <param name="signatures">At least one signature.</param>
    /// <exception cref="ArgumentException">The text or the signatures break the format, naming the field.</exception>
    public SignedNote(string text, IReadOnlyList<NoteSignature> signatures)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(signatures);
        if (TextProblem(text) is { } problem)
        {
            throw new ArgumentException($"text: {problem}", nameof(text));
        }

        if (signatures.Count is 0 or > MaxSignatures)
        {
            throw new ArgumentException($"signatures: a note has 1 to {MaxSignatures} signatures, not {signatures.Count}.", nameof(signatures));
        }

        Text = text;
        Signatures = [.. signatures];
    }

    /// <summary>The signed text, with its final newline.</summary>
    public string Text { get; }

    /// <summary>The signatures, in the note's order.</summary>
    public IReadOnlyList<NoteSignature> Signatures { get; }

    /// <summary>The note as text: the text, a blank line, the signature lines.</summary>
    /// <returns>The note.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder(Text.Length + (Signatures.Count * 100));
        builder.Append(Text).Append('\n');
        foreach (NoteSignature signature in Signatures)
        {
            builder.Append(signature.ToLine());
        }

        return builder.ToString();
    }

    /// <summary>This note with <paramref name="more"/> signatures added (a signature already present, by key name and id, is not added twice).</summary>
    /// <param name="more">The signatures to add, such as a witness's cosignatures.</param>
    /// <returns>A new note.</returns>
    public SignedNote WithSignatures(IEnumerable<NoteSignature> more)
    {
        ArgumentNullException.ThrowIfNull(more);
        var all = Signatures.ToList();
        foreach (NoteSignature signature in more)
        {
            if (!all.Exists(s => s.KeyName == signature.KeyName && s.KeyId == signature.KeyId))
            {
                all.Add(signature);
            }
        }

        return new SignedNote(Text, all);
    }

    /// <summary>
    /// Checks the signatures of the keys in <paramref name="verifiers"/>; signatures of other keys are ignored (the spec's
    /// rule: a key is known when both its name and its id match).
    /// </summary>
    /// <param name="verifiers">The trusted keys.</param>
    /// <returns>The keys whose signature verified, and the keys whose signature is present but does not verify.</returns>
    public (IReadOnlyList<NoteVerifier> Verified, IReadOnlyList<NoteVerifier> Failed) Check(IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        var verified = new List<NoteVerifier>();
        var failed = new List<NoteVerifier>();
        byte[] text = Encoding.UTF8.GetBytes(Text);
        foreach (NoteVerifier verifier in verifiers)
        {
            foreach (NoteSignature signature in Signatures)
            {
                if (signature.KeyName == verifier.Name && signature.KeyId == verifier.KeyId)
                {
                    (verifier.Verify(text, signature.Signature) ? verified : failed).Add(verifier);
                    break;
                }
            }
        }

        return (verified, failed);
    }

    /// <summary>Reads a signed note.</summary>
    /// <param name="note">The note's text.</param>
    /// <returns>The note.</returns>
    /// <exception cref="FormatException">The note is malformed, saying where.</exception>
    public static SignedNote Parse(string note)
    {
        ArgumentNullException.ThrowIfNull(note);
        if (note.Length > MaxLength)
        {
            throw new FormatException($"The note is longer than {MaxLength} characters.");
        }

        int split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0)
        {
            throw new FormatException("The note has no blank line before its signatures.");
        }

        string text = note[..(split + 1)];
        if (TextProblem(text) is { } problem)
        {
            throw new FormatException(problem);
        }

        string lines = note[(split + 2)..];
        if (lines.Length == 0)
        {
            throw new FormatException("The note has no signature.");
        }

        if (!lines.EndsWith('\n'))
        {
            throw new FormatException("The note's last signature line does not end in a newline.");
        }

        string[] each = lines[..^1].Split('\n');
        if (each.Length > MaxSignatures)
        {
            throw new FormatException($"The note has more than {MaxSignatures} signatures.");
        }

        var signatures = new List<NoteSignature>(each.Length);
        foreach (string line in each)
        {
            if (ControlCharacter(line))
            {
                throw new FormatException("A signature line has a control character.");
            }

            signatures.Add(NoteSignature.ParseLine(line));
        }

        return new SignedNote(text, signatures);
    }

    private static string? TextProblem(string text)
    {
        if (text.Length == 0 || !text.EndsWith('\n'))
        {
            return "The note text must be non-empty and end in a newline.";
        }

        return ControlCharacter(text.AsSpan()) ? "The note text has a control character other than newline." : null;
    }

    private static bool ControlCharacter(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (c < 0x20 && c != '\n')
            {
                return true;
            }
        }

        return false;
    }
}
