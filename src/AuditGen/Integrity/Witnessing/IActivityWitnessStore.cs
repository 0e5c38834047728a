namespace AuditGen.Integrity;

/// <summary>
/// Where an <see cref="ActivityWitness"/> keeps its state: the log keys it trusts per origin, and per origin the latest
/// checkpoint it cosigned. The SQLite adapter's <c>SqliteActivityWitnessStore</c> keeps it in a file of its own.
/// </summary>
public interface IActivityWitnessStore
{
    /// <summary>The origins this witness trusts a key for.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The origins.</returns>
    ValueTask<IReadOnlyList<string>> OriginsAsync(CancellationToken cancellationToken = default);

    /// <summary>The log keys trusted for <paramref name="origin"/>; empty when the origin is unknown.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The keys.</returns>
    ValueTask<IReadOnlyList<NoteVerifier>> LogKeysAsync(string origin, CancellationToken cancellationToken = default);

    /// <summary>The latest checkpoint cosigned for <paramref name="origin"/>, or null when none was.</summary>
    /// <param name="origin">The log's origin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The checkpoint.</returns>
    ValueTask<ActivityWitnessedCheckpoint?> LatestAsync(string origin, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="checkpoint"/> as the latest cosigned checkpoint of its origin, atomically, only when the stored
    /// latest size is still <paramref name="oldSize"/> (0: none stored); durable before it returns.
    /// </summary>
    /// <param name="oldSize">The size the checks were made against.</param>
    /// <param name="checkpoint">The checkpoint, with the witness's cosignature.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether it was recorded (false: another request moved the origin on first).</returns>
    ValueTask<bool> TryAdvanceAsync(long oldSize, ActivityWitnessedCheckpoint checkpoint, CancellationToken cancellationToken = default);
}

/// <summary>A checkpoint a witness cosigned: the origin, size and root it vouches for, and the note with the log's signature and its cosignature.</summary>
/// <param name="Origin">The log's origin.</param>
/// <param name="TreeSize">The tree size.</param>
/// <param name="RootHash">The root hash.</param>
/// <param name="Note">The checkpoint note: the log's signature(s) and the witness's cosignature.</param>
public sealed record ActivityWitnessedCheckpoint(string Origin, long TreeSize, byte[] RootHash, string Note);

/// <summary>A witness's answer: the HTTP status, content type and body that C2SP <c>tlog-witness</c> prescribes.</summary>
/// <param name="StatusCode">The status code.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Body">The body.</param>
public sealed record ActivityWitnessResponse(int StatusCode, string ContentType, string Body);
