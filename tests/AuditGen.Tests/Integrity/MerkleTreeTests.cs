using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using AuditGen.Integrity;

namespace AuditGen.Tests.Integrity;

/// <summary>The RFC 6962 tree: the transparency-dev vectors, and proofs we generate verify (and fail when changed).</summary>
public sealed class MerkleTreeTests
{
    private static string Vectors(string kind) => Path.Combine(
        typeof(MerkleTreeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "VectorsRoot").Value!, "rfc6962", kind);

    public static TheoryData<string> InclusionVectors() => Files("inclusion");

    public static TheoryData<string> ConsistencyVectors() => Files("consistency");

    private static TheoryData<string> Files(string kind)
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Vectors(kind), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(Vectors(kind), file));
        }

        return data;
    }

    /// <summary>A size or index; the vectors' uint64 values past long.MaxValue (no log reaches them) become -1, which is refused.</summary>
    private static long Size(JsonElement value) => value.TryGetInt64(out long size) ? size : -1;

    private static byte[] Bytes(JsonElement value) => value.ValueKind == JsonValueKind.Null ? [] : Convert.FromBase64String(value.GetString()!);

    private static byte[][] Proof(JsonElement root) =>
        root.GetProperty("proof").ValueKind == JsonValueKind.Null ? [] : [.. root.GetProperty("proof").EnumerateArray().Select(Bytes)];

    [Fact]
    public void The_shared_vectors_are_there()
    {
        Assert.True(InclusionVectors().Count > 50);
        Assert.True(ConsistencyVectors().Count > 50);
    }

    [Theory]
    [MemberData(nameof(InclusionVectors))]
    public void Inclusion_vectors_verify_on_the_happy_path_and_every_mutation_is_rejected(string file)
    {
        using JsonDocument vector = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors("inclusion"), file)));
        JsonElement v = vector.RootElement;
        bool verified = MerkleTree.VerifyInclusion(Size(v.GetProperty("leafIdx")), Size(v.GetProperty("treeSize")),
            Bytes(v.GetProperty("leafHash")), Proof(v), Bytes(v.GetProperty("root")));
        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), verified);
    }

    [Theory]
    [MemberData(nameof(ConsistencyVectors))]
    public void Consistency_vectors_verify_on_the_happy_path_and_every_mutation_is_rejected(string file)
    {
        using JsonDocument vector = JsonDocument.Parse(File.ReadAllText(Path.Combine(Vectors("consistency"), file)));
        JsonElement v = vector.RootElement;
        bool verified = MerkleTree.VerifyConsistency(Size(v.GetProperty("size1")), Size(v.GetProperty("size2")),
            Bytes(v.GetProperty("root1")), Bytes(v.GetProperty("root2")), Proof(v));
        Assert.Equal(!v.GetProperty("wantErr").GetBoolean(), verified);
    }

    private static List<byte[]> Leaves(int count) => [.. Enumerable.Range(0, count).Select(i => MerkleTree.HashLeaf(BitConverter.GetBytes(i)))];

    [Fact]
    public void The_frontier_grows_to_the_same_root_as_the_recursive_definition_at_every_size()
    {
        List<byte[]> leaves = Leaves(70);
        var frontier = new MerkleFrontier();
        Assert.Equal(SHA256.HashData(ReadOnlySpan<byte>.Empty), frontier.Root());
        for (int n = 1; n <= leaves.Count; n++)
        {
            frontier.Append(leaves[n - 1]);
            Assert.Equal(MerkleTree.Root(leaves, 0, n), frontier.Root());
        }
    }

    [Fact]
    public void The_leaf_and_node_hashes_are_rfc_6962s()
    {
        // RFC 6962's tree of no data: the empty leaf's hash, as in transparency-dev's reference.
        Assert.Equal("bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=", Convert.ToBase64String(MerkleTree.HashLeaf([])));
        byte[] left = MerkleTree.HashLeaf([1]);
        byte[] right = MerkleTree.HashLeaf([2]);
        Assert.Equal(SHA256.HashData([0x01, .. left, .. right]), MerkleTree.HashChildren(left, right));
    }

    [Fact]
    public void Generated_inclusion_and_consistency_proofs_verify_and_fail_for_another_leaf_root_or_size()
    {
        List<byte[]> leaves = Leaves(37);
        for (int size = 1; size <= leaves.Count; size++)
        {
            byte[] root = MerkleTree.Root(leaves, 0, size);
            for (int index = 0; index < size; index++)
            {
                IReadOnlyList<byte[]> proof = MerkleTree.InclusionProof(leaves, index, size);
                Assert.True(MerkleTree.VerifyInclusion(index, size, leaves[index], proof, root));
                Assert.False(MerkleTree.VerifyInclusion(index, size, leaves[(index + 1) % leaves.Count], proof, root));
                Assert.False(MerkleTree.VerifyInclusion(index, size, leaves[index], proof, MerkleTree.Root(leaves, 0, size - 1)));
            }

            for (int older = 1; older <= size; older++)
            {
                byte[] olderRoot = MerkleTree.Root(leaves, 0, older);
                IReadOnlyList<byte[]> proof = MerkleTree.ConsistencyProof(leaves, older, size);
                Assert.True(MerkleTree.VerifyConsistency(older, size, olderRoot, root, proof));
                if (older < size)
                {
                    Assert.False(MerkleTree.VerifyConsistency(older, size, MerkleTree.HashLeaf([0xff]), root, proof));
                    Assert.False(MerkleTree.VerifyConsistency(older, size, olderRoot, MerkleTree.HashLeaf([0xff]), proof));
                }
            }
        }
    }
}
