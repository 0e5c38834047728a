using System.Buffers.Binary;
using System.Security.Cryptography;

namespace AuditGen;

/// <summary>
/// Version 7 (time-ordered) GUIDs, RFC 9562: 48 bits of Unix milliseconds, then 74 random bits.
/// </summary>
/// <remarks>
/// The random bits come from <see cref="RandomNumberGenerator"/>, drawn a block at a time into a per-thread
/// buffer: one system call per 100 GUIDs instead of one each (<c>Guid.NewGuid</c> costs about 500 ns here,
/// most of a record's creation).
/// </remarks>
internal static class GuidV7
{
    private const int RandomBytesPerGuid = 10;
    private const int BufferLength = RandomBytesPerGuid * 100;

    [ThreadStatic]
    private static byte[]? ThreadRandom;

    [ThreadStatic]
    private static int ThreadOffset;

    public static Guid Create(DateTimeOffset timestamp)
    {
        byte[]? random = ThreadRandom;
        int offset = ThreadOffset;
        if (random is null || offset == BufferLength)
        {
            random ??= ThreadRandom = new byte[BufferLength];
            RandomNumberGenerator.Fill(random);
            offset = 0;
        }

        ThreadOffset = offset + RandomBytesPerGuid;

        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, timestamp.ToUnixTimeMilliseconds() << 16); // 48-bit ms in bytes 0-5
        random.AsSpan(offset, RandomBytesPerGuid).CopyTo(bytes[6..]);
        random.AsSpan(offset, RandomBytesPerGuid).Clear(); // used once
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70); // version 7
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }
}
