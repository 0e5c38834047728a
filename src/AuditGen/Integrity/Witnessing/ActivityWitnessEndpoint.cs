namespace AuditGen.Integrity;

/// <summary>A witness the checkpointer submits checkpoints to: its URL (the submission prefix) and its cosignature key.</summary>
/// <param name="Url">The witness's submission prefix: <c>add-checkpoint</c> is posted below it.</param>
/// <param name="Key">The witness's <c>cosignature/v1</c> verifier key.</param>
public sealed record ActivityWitnessEndpoint(Uri Url, NoteVerifier Key)
{
    /// <summary>The witness's name (its key's name), for messages and metrics.</summary>
    public string Name => Key.Name;
}
