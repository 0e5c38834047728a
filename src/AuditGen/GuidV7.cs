#if !NET9_0_OR_GREATER
using System.Buffers.Binary;
using System.Security.Cryptography;
#endif

namespace AuditGen;

/// <summary>Version 7 (time-ordered) GUIDs, RFC 9562; <c>Guid.CreateVersion7</c> where the runtime has it.</summary>
internal static class GuidV7
{
    public static Guid Create(DateTimeOffset timestamp)
    {
#if NET9_0_OR_GREATER
        return Guid.CreateVersion7(timestamp);
#else
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        long ms = timestamp.ToUnixTimeMilliseconds();
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, ms);
        time.Slice(2, 6).CopyTo(bytes); // 48-bit big-endian unix milliseconds
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x70); // version 7
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
#endif
    }
}
