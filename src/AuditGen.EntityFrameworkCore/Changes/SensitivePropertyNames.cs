namespace AuditGen.EntityFrameworkCore;

/// <summary>
/// Matches property names against <see cref="ChangeCaptureOptions.SensitiveNames"/> on whole words: names are split at
/// case changes (<c>PasswordHash</c>, <c>APIToken</c>), digits, and any character that is not a letter or digit
/// (<c>card_number</c>, <c>Address.City</c>).
/// </summary>
internal sealed class SensitivePropertyNames
{
    private readonly string[][] _phrases;

    public SensitivePropertyNames(IEnumerable<string> phrases) =>
        _phrases = [.. phrases.Select(static p => Words(p).Select(static w => w.ToUpperInvariant()).ToArray()).Where(static w => w.Length > 0)];

    /// <summary>Whether <paramref name="name"/> contains one of the phrases, word for word.</summary>
    public bool Matches(string name)
    {
        List<string> words = Words(name);
        foreach (string[] phrase in _phrases)
        {
            for (int start = 0; start + phrase.Length <= words.Count; start++)
            {
                if (MatchesAt(words, start, phrase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool MatchesAt(List<string> words, int start, string[] phrase)
    {
        for (int i = 0; i < phrase.Length; i++)
        {
            string word = words[start + i];
            bool last = i == phrase.Length - 1;
            if (!word.Equals(phrase[i], StringComparison.OrdinalIgnoreCase) &&
                !(last && word.Length == phrase[i].Length + 1 && (word[^1] is 's' or 'S') &&
                  word.AsSpan(0, phrase[i].Length).Equals(phrase[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The words of a name: <c>PasswordHash</c> → Password, Hash; <c>APIToken2</c> → API, Token, 2.</summary>
    public static List<string> Words(string name)
    {
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= name.Length; i++)
        {
            char c = i < name.Length ? name[i] : ' ';
            if (!char.IsLetterOrDigit(c))
            {
                Flush(i);
                continue;
            }

            if (start < 0)
            {
                start = i;
                continue;
            }

            char previous = name[i - 1];
            bool boundary =
                (char.IsLower(previous) && char.IsUpper(c)) ||
                (char.IsDigit(previous) != char.IsDigit(c)) ||
                (char.IsUpper(previous) && char.IsUpper(c) && i + 1 < name.Length && char.IsLower(name[i + 1]));
            if (boundary)
            {
                Flush(i);
                start = i;
            }
        }

        return words;

        void Flush(int end)
        {
            if (start >= 0)
            {
                words.Add(name[start..end]);
                start = -1;
            }
        }
    }
}
