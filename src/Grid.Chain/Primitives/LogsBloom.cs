using Grid.Chain.Crypto;

namespace Grid.Chain.Primitives;

/// <summary>
/// A block header's <c>logsBloom</c>: 2,048 bits where every log of the block set three bits for its address and
/// three for each topic (from the keccak-256 of the value: bytes 0-1, 2-3 and 4-5, each pair's low 11 bits, counted
/// from the bloom's last byte). A clear bit proves the block has no such log; all set only says it may.
/// </summary>
public sealed class LogsBloom : IEquatable<LogsBloom>
{
    public const int ByteLength = 256;

    private readonly byte[] _bits;

    private LogsBloom(byte[] bits) => _bits = bits;

    public static LogsBloom FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
        {
            throw new FormatException($"A logs bloom is {ByteLength} bytes, not {bytes.Length}.");
        }

        return new LogsBloom(bytes.ToArray());
    }

    /// <summary>Whether a log of the block may have <paramref name="value"/> (an address's 20 bytes, or a topic's 32) as its address or a topic.</summary>
    public bool MayContain(ReadOnlySpan<byte> value)
    {
        Span<byte> digest = stackalloc byte[Keccak256.HashLength];
        Keccak256.Hash(value, digest);
        for (var pair = 0; pair < 6; pair += 2)
        {
            var bit = ((digest[pair] << 8) | digest[pair + 1]) & (ByteLength * 8 - 1);
            if ((_bits[ByteLength - 1 - (bit >> 3)] & (1 << (bit & 7))) == 0)
            {
                return false;
            }
        }

        return true;
    }

    public bool Equals(LogsBloom? other) => other is not null && _bits.AsSpan().SequenceEqual(other._bits);

    public override bool Equals(object? obj) => Equals(obj as LogsBloom);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bits);
        return hash.ToHashCode();
    }
}
