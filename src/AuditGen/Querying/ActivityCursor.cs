using System.Buffers.Binary;
using System.ComponentModel;
using System.Security.Cryptography;
using System.Text;

namespace AuditGen;

/// <summary>
/// Encodes and checks the opaque keyset cursors of <see cref="ActivityPage.NextCursor"/>. For adapter
/// implementations, so that every adapter's cursors look and fail the same way.
/// </summary>
/// <remarks>
/// A cursor carries the sequence of the last record of a page, bound by a SHA-256 check value to the query's
/// filters, time range and order. Editing it, or passing it to a different query, is an <see cref="ArgumentException"/>
/// rather than a wrong page. Cursors are integrity-checked, not secret: authorization never depends on them, since
/// a cursor only moves a position within a query the caller may already run.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Advanced)]
public static class ActivityCursor
{
    private const byte FormatVersion = 1;
    private const int PayloadLength = 1 + sizeof(long) + CheckLength;
    private const int CheckLength = 8;
    private const int MaxEncodedLength = 64;

    /// <summary>Returns the cursor that continues <paramref name="query"/> after the record at <paramref name="sequence"/>.</summary>
    /// <param name="query">The query the page answered.</param>
    /// <param name="sequence">The sequence of the page's last record.</param>
    /// <returns>The opaque cursor.</returns>
    public static string Encode(ActivityQuery query, long sequence)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);

        Span<byte> payload = stackalloc byte[PayloadLength];
        payload[0] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(payload[1..], sequence);
        ComputeCheck(query, sequence, payload[(1 + sizeof(long))..]);
        return ToBase64Url(payload);
    }

    /// <summary>Reads <see cref="ActivityQuery.Cursor"/>: the sequence to continue after, or <see langword="null"/> for the first page.</summary>
    /// <param name="query">The query carrying the cursor.</param>
    /// <returns>The sequence of the previous page's last record, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentException">The cursor is malformed, was edited, or belongs to a different query.</exception>
    public static long? Decode(ActivityQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? cursor = query.Cursor;
        if (cursor is null)
        {
            return null;
        }

        Span<byte> payload = stackalloc byte[PayloadLength + 3];
        if (cursor.Length is 0 or > MaxEncodedLength ||
            !TryFromBase64Url(cursor, payload, out int written) ||
            written != PayloadLength ||
            payload[0] != FormatVersion)
        {
            throw Invalid();
        }

        long sequence = BinaryPrimitives.ReadInt64BigEndian(payload[1..]);
        Span<byte> expected = stackalloc byte[CheckLength];
        if (sequence < 1)
        {
            throw Invalid();
        }

        ComputeCheck(query, sequence, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, payload.Slice(1 + sizeof(long), CheckLength)))
        {
            throw Invalid();
        }

        return sequence;
    }

    private static ArgumentException Invalid() =>
        new("Cursor is malformed, was altered, or belongs to a different query; pass the NextCursor of a page of the same query (same filters, time range and order).",
            nameof(ActivityQuery.Cursor));

    private static void ComputeCheck(ActivityQuery query, long sequence, Span<byte> destination)
    {
        // Everything that defines the keyset: the filters, the time range and the order (not the page size).
        var text = new StringBuilder(256);
        text.Append("auditgen-cursor/1\n")
            .Append(sequence).Append('\n')
            .Append((int)query.Order).Append('\n')
            .Append(query.Entity?.EntityType.Length ?? -1).Append(':').Append(query.Entity?.EntityType).Append('\n')
            .Append(query.Entity?.EntityId.Length ?? -1).Append(':').Append(query.Entity?.EntityId).Append('\n')
            .Append(query.ActorId?.ToString("N")).Append('\n')
            .Append(query.OwnerId?.ToString("N")).Append('\n')
            .Append(query.Action).Append('\n')
            .Append(query.Since?.UtcTicks ?? -1).Append('\n')
            .Append(query.Until?.UtcTicks ?? -1);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        hash[..CheckLength].CopyTo(destination);
    }

    private static string ToBase64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryFromBase64Url(string text, Span<byte> destination, out int written)
    {
        written = 0;
        foreach (char c in text)
        {
            if (c is not ((>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_'))
            {
                return false;
            }
        }

        string padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch
        {
            2 => "==",
            3 => "=",
            0 => "",
            _ => null,
        };
        return padded.Length % 4 == 0 && Convert.TryFromBase64String(padded, destination, out written);
    }
}
