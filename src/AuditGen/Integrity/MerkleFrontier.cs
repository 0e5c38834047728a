namespace AuditGen.Integrity;

/// <summary>
/// A Merkle tree that grows one leaf at a time in O(log n) memory: the roots of its perfect subtrees, largest first (a
/// compact range from 0). Its <see cref="Root"/> equals <see cref="MerkleTree.Root"/> over all leaves appended.
/// </summary>
public sealed class MerkleFrontier
{
    private readonly List<byte[]> _subtrees = [];

    /// <summary>How many leaves were appended.</summary>
    public long Size { get; private set; }

    /// <summary>Appends one leaf hash.</summary>
    /// <param name="leafHash">A 32-byte leaf hash.</param>
    public void Append(byte[] leafHash)
    {
        ArgumentNullException.ThrowIfNull(leafHash);
        if (leafHash.Length != MerkleTree.HashSize)
        {
            throw new ArgumentException($"A leaf hash is {MerkleTree.HashSize} bytes, not {leafHash.Length}.", nameof(leafHash));
        }

        // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's size: merge them, smallest first.
        byte[] hash = leafHash;
        for (long size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleTree.HashChildren(_subtrees[^1], hash);
            _subtrees.RemoveAt(_subtrees.Count - 1);
        }

        _subtrees.Add(hash);
        Size++;
    }

    /// <summary>The root of the tree of every leaf appended so far.</summary>
    /// <returns>A 32-byte hash (<see cref="MerkleTree.EmptyRoot"/> when empty).</returns>
    public byte[] Root()
    {
        if (_subtrees.Count == 0)
        {
            return MerkleTree.EmptyRoot();
        }

        byte[] root = _subtrees[^1];
        for (int i = _subtrees.Count - 2; i >= 0; i--)
        {
            root = MerkleTree.HashChildren(_subtrees[i], root);
        }

        return root;
    }
}
