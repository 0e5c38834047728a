namespace AuditGen.Integrity;

/// <summary>One leaf of the log's Merkle tree: the sequence of the record and its leaf hash (<see cref="ActivityRecordEncoding.LeafHash"/>).</summary>
/// <param name="Sequence">The record's sequence.</param>
/// <param name="Hash">Its 32-byte leaf hash.</param>
public readonly record struct ActivityLeaf(long Sequence, byte[] Hash);
