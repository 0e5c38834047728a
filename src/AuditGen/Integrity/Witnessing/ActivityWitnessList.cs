using System.Collections;

namespace AuditGen.Integrity;

/// <summary>The witnesses a tamper-evident log submits each new checkpoint to (<see cref="ActivityCheckpointOptions.Witnesses"/>).</summary>
public sealed class ActivityWitnessList : IReadOnlyList<ActivityWitnessEndpoint>
{
    private readonly List<ActivityWitnessEndpoint> _witnesses = [];

    /// <inheritdoc/>
    public ActivityWitnessEndpoint this[int index] => _witnesses[index];

    /// <inheritdoc/>
    public int Count => _witnesses.Count;

    /// <summary>Adds a witness.</summary>
    /// <param name="url">Its submission prefix, an absolute http or https URL, such as <c>http://witness.example:7380/</c>.</param>
    /// <param name="verifierKey">Its cosignature key as printed by <c>auditgen witness</c>: <c>vkey: &lt;name+keyid+base64&gt;</c> (with or without the <c>vkey:</c>).</param>
    /// <returns>This list.</returns>
    /// <exception cref="ArgumentException">The URL or the key is not valid, naming which.</exception>
    public ActivityWitnessList Add(string url, string verifierKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(url);
        ArgumentException.ThrowIfNullOrWhiteSpace(verifierKey);
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"url '{url}' must be an absolute http or https URL: the witness's submission prefix.", nameof(url));
        }

        NoteVerifier key;
        try
        {
            string text = verifierKey.Trim();
            key = NoteVerifier.Parse(text.StartsWith("vkey:", StringComparison.Ordinal) ? text[5..] : text);
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"verifierKey: {ex.Message}", nameof(verifierKey), ex);
        }

        if (key.Type != NoteSignatureType.CosignatureV1)
        {
            throw new ArgumentException($"verifierKey '{key.Name}' is a {key.Type} key: a witness's key is a cosignature/v1 key (type 04).", nameof(verifierKey));
        }

        if (_witnesses.Exists(w => w.Key.Name == key.Name && w.Key.KeyId == key.KeyId))
        {
            throw new ArgumentException($"verifierKey '{key.Name}' is already a witness of this log.", nameof(verifierKey));
        }

        _witnesses.Add(new ActivityWitnessEndpoint(uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/"), key));
        return this;
    }

    /// <inheritdoc/>
    public IEnumerator<ActivityWitnessEndpoint> GetEnumerator() => _witnesses.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
