using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AuditGen.Integrity;

/// <summary>
/// Checkpoints as files in a directory, one per checkpoint (<c>checkpoint-&lt;tree size, 19 digits&gt;.json</c>), written to
/// a temporary file, flushed to disk and renamed, so a crash leaves no half-written checkpoint. By default beside the
/// database (<see cref="Beside"/>): copy or mount it somewhere the database's writers cannot change. A checkpoint file
/// (<c>auditgen-checkpoint/v2</c>) holds the C2SP checkpoint note — with the witnesses' cosignatures once they answer —,
/// the time and key id, and the leaves it adds. Files of the format before notes (v1) are read as they are, and
/// <see cref="MigrateAsync"/> rewrites them as notes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The semaphore's wait handle is never created (no AvailableWaitHandle): nothing to dispose.")]
public sealed class FileActivityCheckpointSink : IActivityCheckpointSink
{
    private const string Prefix = "checkpoint-";

    /// <summary>Writes checkpoints into <paramref name="directory"/>, created when missing.</summary>
    /// <param name="directory">The directory.</param>
    public FileActivityCheckpointSink(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The directory holding the checkpoints.</summary>
    public string Directory { get; }

    /// <summary>The default directory of a database file's checkpoints: <c>&lt;file&gt;.checkpoints</c> beside it.</summary>
    /// <param name="databaseFile">The database file, such as <c>audit.db</c>.</param>
    /// <returns>The sink.</returns>
    public static FileActivityCheckpointSink Beside(string databaseFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseFile);
        return new FileActivityCheckpointSink(ActivityCheckpointFiles.Checkpoints(databaseFile));
    }

    /// <summary>The format of a checkpoint file that holds a signed note.</summary>
    public const string NoteFormat = "auditgen-checkpoint/v2";

    /// <inheritdoc/>
    public ValueTask WriteAsync(ActivityCheckpoint checkpoint, IReadOnlyList<ActivityLeaf> leaves, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(leaves);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        try
        {
            Write(checkpoint, checkpoint.TreeSize - leaves.Count, leaves, v1Signature: null);
            return ValueTask.CompletedTask;
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex); // a full disk or a refused rename fails the task, as an asynchronous write would
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> AddCosignaturesAsync(long treeSize, IReadOnlyList<NoteSignature> cosignatures, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cosignatures);
        string path = Path.Combine(Directory, FileName(treeSize));
        await _rewrite.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                return false;
            }

            (StoredCheckpoint stored, string? v1Signature) = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            if (stored.Checkpoint.Note is null)
            {
                return false;
            }

            Write(stored.Checkpoint.WithCosignatures(cosignatures), stored.PreviousSize, stored.Leaves, v1Signature);
            return true;
        }
        finally
        {
            _rewrite.Release();
        }
    }

    /// <summary>
    /// Rewrites the v1 checkpoint files that <paramref name="key"/> signed as signed notes of <paramref name="origin"/>,
    /// signed by the same key with their original time (each must verify with the key first; the v1 signature is kept in the
    /// file). Files signed by other keys stay v1 and keep verifying with those keys.
    /// </summary>
    /// <param name="key">The signing key that wrote them.</param>
    /// <param name="origin">The log's origin for the notes.</param>
    /// <param name="cancellationToken">Cancels the migration (files already rewritten stay rewritten).</param>
    /// <returns>How many files were rewritten.</returns>
    public async Task<int> MigrateAsync(ActivityCheckpointKey key, string origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(origin);
        int migrated = 0;
        foreach (string path in Files())
        {
            (StoredCheckpoint stored, _) = await ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            ActivityCheckpoint old = stored.Checkpoint;
            if (old.Note is not null || !old.IsSignedBy(key))
            {
                continue;
            }

            ActivityCheckpoint note = ActivityCheckpoint.Sign(origin, old.TreeSize, old.RootHash, old.IssuedAt, key);
            Write(note, stored.PreviousSize, stored.Leaves, Convert.ToBase64String(old.Signature));
            migrated++;
        }

        return migrated;
    }

    private readonly SemaphoreSlim _rewrite = new(1, 1);

    /// <remarks>
    /// The file is composed in memory and written with one synchronous write and a flush to disk: it is small (~56 KB for
    /// 1,000 leaves), and asynchronous file writes on Linux are the same writes handed to the thread pool, one hop per
    /// buffer, beside the writers whose CPU the checkpointer shares.
    /// </remarks>
    private void Write(ActivityCheckpoint checkpoint, long previousSize, IReadOnlyList<ActivityLeaf> leaves, string? v1Signature)
    {
        var content = new ArrayBufferWriter<byte>(512 + (leaves.Count * 56));
        using (var writer = new Utf8JsonWriter(content, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            if (checkpoint.Note is { } note)
            {
                writer.WriteString("format", NoteFormat);
                writer.WriteString("note", note.ToString());
                if (v1Signature is not null)
                {
                    writer.WriteString("v1Signature", v1Signature); // the signature of the file this one migrated
                }
            }
            else
            {
                writer.WriteString("format", ActivityCheckpoint.Format);
                writer.WriteNumber("treeSize", checkpoint.TreeSize);
                writer.WriteString("rootHash", Convert.ToBase64String(checkpoint.RootHash));
                writer.WriteString("signature", Convert.ToBase64String(checkpoint.Signature));
            }

            writer.WriteString("issuedAt", checkpoint.IssuedAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("keyId", checkpoint.KeyId);
            writer.WriteNumber("previousSize", previousSize);
            writer.WriteBase64String("leaves", PackLeaves(leaves)); // base64 straight into the text: '+' and '/' unescaped
            writer.WriteEndObject();
        }

        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, FileName(checkpoint.TreeSize));
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(content.WrittenSpan);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StoredCheckpoint> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (string path in Files())
        {
            yield return await ReadAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ActivityCheckpoint?> LatestAsync(CancellationToken cancellationToken = default) =>
        Files().LastOrDefault() is { } path ? (await ReadAsync(path, cancellationToken).ConfigureAwait(false)).Checkpoint : null;

    /// <summary>The checkpoint files, in tree-size order (the names sort as the sizes do).</summary>
    private string[] Files()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        string[] files = System.IO.Directory.GetFiles(Directory, Prefix + "*.json");
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    private static string FileName(long treeSize) => Prefix + treeSize.ToString("D19", CultureInfo.InvariantCulture) + ".json";

    private static async Task<StoredCheckpoint> ReadAsync(string path, CancellationToken cancellationToken) =>
        (await ReadFileAsync(path, cancellationToken).ConfigureAwait(false)).Stored;

    private static async Task<(StoredCheckpoint Stored, string? V1Signature)> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        try
        {
            byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            string? format = root.GetProperty("format").GetString();
            DateTimeOffset issuedAt = DateTimeOffset.ParseExact(root.GetProperty("issuedAt").GetString()!, "O", CultureInfo.InvariantCulture);
            string keyId = root.GetProperty("keyId").GetString()!;
            ActivityCheckpoint checkpoint = format switch
            {
                NoteFormat => ActivityCheckpoint.FromNote(SignedNote.Parse(root.GetProperty("note").GetString()!), issuedAt, keyId),
                ActivityCheckpoint.Format => new ActivityCheckpoint(
                    root.GetProperty("treeSize").GetInt64(),
                    Convert.FromBase64String(root.GetProperty("rootHash").GetString()!),
                    issuedAt,
                    keyId,
                    Convert.FromBase64String(root.GetProperty("signature").GetString()!)),
                _ => throw new FormatException($"its format is not {NoteFormat} or {ActivityCheckpoint.Format}"),
            };
            string? v1Signature = root.TryGetProperty("v1Signature", out JsonElement old) ? old.GetString() : null;
            return (new StoredCheckpoint(checkpoint, root.GetProperty("previousSize").GetInt64(),
                UnpackLeaves(Convert.FromBase64String(root.GetProperty("leaves").GetString()!)), name), v1Signature);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"Checkpoint file {name} is not a checkpoint: {ex.Message}", ex);
        }
    }

    /// <summary>Each leaf as 8 bytes of sequence (big-endian) and 32 of hash.</summary>
    private static byte[] PackLeaves(IReadOnlyList<ActivityLeaf> leaves)
    {
        byte[] packed = new byte[leaves.Count * (8 + MerkleTree.HashSize)];
        for (int i = 0; i < leaves.Count; i++)
        {
            Span<byte> slot = packed.AsSpan(i * (8 + MerkleTree.HashSize));
            BinaryPrimitives.WriteInt64BigEndian(slot, leaves[i].Sequence);
            leaves[i].Hash.CopyTo(slot[8..]);
        }

        return packed;
    }

    private static ActivityLeaf[] UnpackLeaves(byte[] packed)
    {
        const int Size = 8 + MerkleTree.HashSize;
        if (packed.Length % Size != 0)
        {
            throw new FormatException($"its leaves are not whole ({packed.Length} bytes)");
        }

        var leaves = new ActivityLeaf[packed.Length / Size];
        for (int i = 0; i < leaves.Length; i++)
        {
            ReadOnlySpan<byte> slot = packed.AsSpan(i * Size, Size);
            leaves[i] = new ActivityLeaf(BinaryPrimitives.ReadInt64BigEndian(slot), slot[8..].ToArray());
        }

        return leaves;
    }
}
