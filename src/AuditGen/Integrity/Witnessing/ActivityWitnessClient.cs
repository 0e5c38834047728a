using System.Net;

namespace AuditGen.Integrity;

/// <summary>Asks a witness directly for its latest view of a log (the C2SP <c>tlog-witness</c> monitoring API).</summary>
public static class ActivityWitnessClient
{
    /// <summary>The witness's latest cosigned checkpoint of <paramref name="origin"/>, or null when it has cosigned none (404).</summary>
    /// <param name="http">The client to use.</param>
    /// <param name="witness">The witness's monitoring prefix, such as <c>http://witness.example:7380/</c>.</param>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The checkpoint note, with the log's signature and the witness's cosignature (unverified).</returns>
    /// <exception cref="HttpRequestException">The witness cannot be reached or answers with another error.</exception>
    /// <exception cref="FormatException">The answer is not a signed note.</exception>
    public static async Task<SignedNote?> LatestCheckpointAsync(HttpClient http, Uri witness, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(witness);
        ArgumentNullException.ThrowIfNull(origin);
        var prefix = witness.AbsoluteUri.EndsWith('/') ? witness : new Uri(witness.AbsoluteUri + "/");
        using HttpResponseMessage response = await http.GetAsync(new Uri(prefix, ActivityWitness.CheckpointPath(origin)), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return SignedNote.Parse(text.Length > SignedNote.MaxLength ? throw new FormatException("The witness's checkpoint is too large.") : text);
    }
}
