using System.Numerics;
using System.Security.Cryptography;

namespace AuditGen.Integrity;

/// <summary>
/// The RFC 6962 / RFC 9162 Merkle tree hash over a log's leaf hashes: leaf = SHA-256(0x00 ‖ data), node =
/// SHA-256(0x01 ‖ left ‖ right), a tree of n leaves split at the largest power of two below n. Roots, inclusion and
/// consistency proofs, and their verification (which passes the transparency-dev test vectors).
/// </summary>
public static class MerkleTree
{
    /// <summary>The size of every hash: SHA-256.</summary>
    public const int HashSize = 32;

    /// <summary>The root of the empty tree: SHA-256 of nothing.</summary>
    /// <returns>A new array.</returns>
    public static byte[] EmptyRoot() => SHA256.HashData(ReadOnlySpan<byte>.Empty);

    /// <summary>The leaf hash of <paramref name="data"/>: SHA-256(0x00 ‖ data).</summary>
    /// <param name="data">The leaf's bytes (for a record, <see cref="ActivityRecordEncoding"/>).</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData([0x00]);
        sha.AppendData(data);
        return sha.GetHashAndReset();
    }

    /// <summary>The hash of an inner node: SHA-256(0x01 ‖ left ‖ right).</summary>
    /// <param name="left">The left child's hash.</param>
    /// <param name="right">The right child's hash.</param>
    /// <returns>A new 32-byte array.</returns>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * HashSize)];
        if (left.Length != HashSize || right.Length != HashSize)
        {
            throw new ArgumentException($"Merkle hashes are {HashSize} bytes.");
        }

        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + HashSize)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The root of the tree over <paramref name="leaves"/>[<paramref name="start"/>..<paramref name="end"/>).</summary>
    /// <param name="leaves">Leaf hashes, in log order.</param>
    /// <param name="start">The first leaf.</param>
    /// <param name="end">One past the last leaf.</param>
    /// <returns>The root (<see cref="EmptyRoot"/> for no leaves).</returns>
    public static byte[] Root(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (start < 0 || end > leaves.Count || start > end)
        {
            throw new ArgumentOutOfRangeException(nameof(end), $"The range [{start}, {end}) is not within the {leaves.Count} leaves.");
        }

        return RootOf(leaves, start, end);
    }

    private static byte[] RootOf(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        int n = end - start;
        if (n == 0)
        {
            return EmptyRoot();
        }

        if (n == 1)
        {
            return leaves[start];
        }

        int k = SplitPoint(n);
        return HashChildren(RootOf(leaves, start, start + k), RootOf(leaves, start + k, end));
    }

    /// <summary>The inclusion proof (RFC 6962 PATH) of leaf <paramref name="index"/> in the tree of the first <paramref name="size"/> leaves.</summary>
    /// <param name="leaves">Leaf hashes, in log order (at least <paramref name="size"/>).</param>
    /// <param name="index">The leaf, 0-based.</param>
    /// <param name="size">The tree size.</param>
    /// <returns>The sibling hashes, from the leaf up.</returns>
    public static IReadOnlyList<byte[]> InclusionProof(IReadOnlyList<byte[]> leaves, int index, int size)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (size < 1 || size > leaves.Count || index < 0 || index >= size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size} of {leaves.Count} leaves.");
        }

        var proof = new List<byte[]>();
        Path(leaves, index, 0, size, proof);
        return proof;
    }

    private static void Path(IReadOnlyList<byte[]> leaves, int index, int start, int end, List<byte[]> proof)
    {
        int n = end - start;
        if (n <= 1)
        {
            return;
        }

        int k = SplitPoint(n);
        if (index < k)
        {
            Path(leaves, index, start, start + k, proof);
            proof.Add(RootOf(leaves, start + k, end));
        }
        else
        {
            Path(leaves, index - k, start + k, end, proof);
            proof.Add(RootOf(leaves, start, start + k));
        }
    }

    /// <summary>The consistency proof (RFC 6962 PROOF) that the tree of <paramref name="size1"/> leaves is a prefix of the tree of <paramref name="size2"/>.</summary>
    /// <param name="leaves">Leaf hashes, in log order (at least <paramref name="size2"/>).</param>
    /// <param name="size1">The older size, at least 1.</param>
    /// <param name="size2">The newer size.</param>
    /// <returns>The proof's hashes.</returns>
    public static IReadOnlyList<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leaves, int size1, int size2)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (size1 < 1 || size1 > size2 || size2 > leaves.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(size1), $"Sizes must satisfy 1 <= size1 ({size1}) <= size2 ({size2}) <= {leaves.Count}.");
        }

        var proof = new List<byte[]>();
        SubProof(leaves, size1, 0, size2, complete: true, proof);
        return proof;
    }

    private static void SubProof(IReadOnlyList<byte[]> leaves, int m, int start, int end, bool complete, List<byte[]> proof)
    {
        int n = end - start;
        if (m == n)
        {
            if (!complete)
            {
                proof.Add(RootOf(leaves, start, end));
            }

            return;
        }

        int k = SplitPoint(n);
        if (m <= k)
        {
            SubProof(leaves, m, start, start + k, complete, proof);
            proof.Add(RootOf(leaves, start + k, end));
        }
        else
        {
            SubProof(leaves, m - k, start + k, end, complete: false, proof);
            proof.Add(RootOf(leaves, start, start + k));
        }
    }

    /// <summary>Whether <paramref name="proof"/> shows leaf <paramref name="index"/> with <paramref name="leafHash"/> in the tree of <paramref name="size"/> leaves with <paramref name="root"/> (RFC 9162 §2.1.3.2).</summary>
    /// <param name="index">The leaf, 0-based.</param>
    /// <param name="size">The tree size.</param>
    /// <param name="leafHash">The leaf's hash.</param>
    /// <param name="proof">The sibling hashes.</param>
    /// <param name="root">The tree's root.</param>
    /// <returns>Whether the proof holds.</returns>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (index < 0 || index >= size || leafHash.Length != HashSize || root.Length != HashSize || proof.Any(static p => p is not { Length: HashSize }))
        {
            return false;
        }

        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash.ToArray();
        foreach (byte[] p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashChildren(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = HashChildren(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows the tree of <paramref name="size1"/> leaves with <paramref name="root1"/> is a
    /// prefix of the tree of <paramref name="size2"/> with <paramref name="root2"/> (RFC 9162 §2.1.4.2). A proof from the
    /// empty tree proves nothing and is refused.
    /// </summary>
    /// <param name="size1">The older size.</param>
    /// <param name="size2">The newer size.</param>
    /// <param name="root1">The older root.</param>
    /// <param name="root2">The newer root.</param>
    /// <param name="proof">The proof's hashes.</param>
    /// <returns>Whether the proof holds.</returns>
    public static bool VerifyConsistency(long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (size1 < 1 || size2 < size1)
        {
            return false;
        }

        if (size1 == size2)
        {
            return proof.Count == 0 && root1.SequenceEqual(root2);
        }

        if (proof.Count == 0 || root1.Length != HashSize || root2.Length != HashSize || proof.Any(static p => p is not { Length: HashSize }))
        {
            return false;
        }

        List<byte[]> path = [.. proof];
        if (BitOperations.IsPow2(size1))
        {
            path.Insert(0, root1.ToArray());
        }

        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        byte[] fr = path[0];
        byte[] sr = path[0];
        for (int i = 1; i < path.Count; i++)
        {
            byte[] c = path[i];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                fr = HashChildren(c, fr);
                sr = HashChildren(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = HashChildren(sr, c);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.AsSpan().SequenceEqual(root1) && sr.AsSpan().SequenceEqual(root2);
    }

    /// <summary>The largest power of two below <paramref name="n"/> (n &gt; 1): where RFC 6962 splits a tree.</summary>
    private static int SplitPoint(int n) => (int)BitOperations.RoundUpToPowerOf2((uint)n) >> 1;
}
