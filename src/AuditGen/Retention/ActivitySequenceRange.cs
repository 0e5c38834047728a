using System.Globalization;

namespace AuditGen;

/// <summary>A run of consecutive sequences, <see cref="First"/> to <see cref="Last"/> inclusive.</summary>
/// <param name="First">The first sequence.</param>
/// <param name="Last">The last sequence.</param>
public readonly record struct ActivitySequenceRange(long First, long Last)
{
    /// <summary>How many sequences the run holds.</summary>
    public long Count => Last - First + 1;

    /// <summary>Runs of <paramref name="sequences"/>, which must ascend.</summary>
    /// <param name="sequences">Ascending sequences.</param>
    /// <returns>The maximal runs of consecutive sequences.</returns>
    public static IReadOnlyList<ActivitySequenceRange> Runs(IEnumerable<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var runs = new List<ActivitySequenceRange>();
        foreach (long sequence in sequences)
        {
            if (runs.Count > 0 && runs[^1].Last + 1 == sequence)
            {
                runs[^1] = runs[^1] with { Last = sequence };
            }
            else if (runs.Count > 0 && sequence <= runs[^1].Last)
            {
                throw new ArgumentException($"Sequences must ascend: {sequence} follows {runs[^1].Last}.", nameof(sequences));
            }
            else
            {
                runs.Add(new ActivitySequenceRange(sequence, sequence));
            }
        }

        return runs;
    }

    /// <summary>The runs as text: <c>1-500,502-502</c> (empty for none).</summary>
    /// <param name="runs">The runs.</param>
    /// <returns>The text.</returns>
    public static string Format(IEnumerable<ActivitySequenceRange> runs) =>
        string.Join(',', runs.Select(static r => r.ToString()));

    /// <summary>Reads text written by <see cref="Format"/>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The runs.</returns>
    /// <exception cref="FormatException">The text is not a list of ascending runs.</exception>
    public static IReadOnlyList<ActivitySequenceRange> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var runs = new List<ActivitySequenceRange>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] ends = part.Split('-');
            if (ends.Length != 2
                || !long.TryParse(ends[0], NumberStyles.None, CultureInfo.InvariantCulture, out long first)
                || !long.TryParse(ends[1], NumberStyles.None, CultureInfo.InvariantCulture, out long last)
                || first < 1 || last < first || (runs.Count > 0 && first <= runs[^1].Last))
            {
                throw new FormatException($"'{part}' is not an ascending run of sequences (first-last).");
            }

            runs.Add(new ActivitySequenceRange(first, last));
        }

        return runs;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}
