using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AuditGen.Integrity;

/// <summary>
/// Checkpoints as files in a directory, one per checkpoint (<c>checkpoint-&lt;tree size, 19 digits&gt;.json</c>), written to
/// a temporary file, flushed to disk and renamed, so a crash leaves no half-written checkpoint. By default beside the
/// database (<see cref="Beside"/>): copy or mount it somewhere the database's writers cannot change.
/// </summary>
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

    /// <inheritdoc/>
    public async ValueTask WriteAsync(ActivityCheckpoint checkpoint, IReadOnlyList<ActivityLeaf> leaves, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(leaves);
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, FileName(checkpoint.TreeSize));
        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.Asynchronous };
        await using (var stream = new FileStream(temporary, options))
        {
            await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                writer.WriteStartObject();
                writer.WriteString("format", ActivityCheckpoint.Format);
                writer.WriteNumber("treeSize", checkpoint.TreeSize);
                writer.WriteString("rootHash", Convert.ToBase64String(checkpoint.RootHash));
                writer.WriteString("issuedAt", checkpoint.IssuedAt.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteString("keyId", checkpoint.KeyId);
                writer.WriteString("signature", Convert.ToBase64String(checkpoint.Signature));
                writer.WriteNumber("previousSize", checkpoint.TreeSize - leaves.Count);
                writer.WriteString("leaves", Convert.ToBase64String(PackLeaves(leaves)));
                writer.WriteEndObject();
            }

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

    private static async Task<StoredCheckpoint> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string name = Path.GetFileName(path);
        try
        {
            byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            if (root.GetProperty("format").GetString() != ActivityCheckpoint.Format)
            {
                throw new FormatException($"its format is not {ActivityCheckpoint.Format}");
            }

            var checkpoint = new ActivityCheckpoint(
                root.GetProperty("treeSize").GetInt64(),
                Convert.FromBase64String(root.GetProperty("rootHash").GetString()!),
                DateTimeOffset.ParseExact(root.GetProperty("issuedAt").GetString()!, "O", CultureInfo.InvariantCulture),
                root.GetProperty("keyId").GetString()!,
                Convert.FromBase64String(root.GetProperty("signature").GetString()!));
            return new StoredCheckpoint(checkpoint, root.GetProperty("previousSize").GetInt64(),
                UnpackLeaves(Convert.FromBase64String(root.GetProperty("leaves").GetString()!)), name);
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
