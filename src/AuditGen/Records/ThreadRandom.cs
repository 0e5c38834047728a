using System.Security.Cryptography;

namespace AuditGen;

/// <summary>
/// Random bytes from <see cref="RandomNumberGenerator"/>, drawn 4 KiB at a time into a per-thread buffer: one call to the
/// system's generator costs about 2 µs here, as much as a whole AES-GCM seal or several record creations. Each byte is
/// handed out once and cleared from the buffer. Used for version 7 GUIDs and sealing nonces.
/// </summary>
internal static class ThreadRandom
{
    private const int BufferLength = 4096;

    [ThreadStatic]
    private static byte[]? Buffer;

    [ThreadStatic]
    private static int Offset;

    /// <summary>Fills <paramref name="destination"/> (at most 4 KiB) with bytes no one else got.</summary>
    public static void Fill(Span<byte> destination)
    {
        byte[]? random = Buffer;
        int offset = Offset;
        if (random is null || offset + destination.Length > BufferLength)
        {
            random ??= Buffer = new byte[BufferLength];
            RandomNumberGenerator.Fill(random);
            offset = 0;
        }

        Span<byte> next = random.AsSpan(offset, destination.Length);
        next.CopyTo(destination);
        next.Clear(); // used once
        Offset = offset + destination.Length;
    }
}
