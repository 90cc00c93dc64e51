using System.Numerics;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Chain.TestKit.Abi;

/// <summary>
/// One ABI-encoded argument of a static type: a 32-byte word. The kit's calls need only static types
/// (address, uint256, int256, bytes32, bool), whose encoding is the value itself in one word.
/// </summary>
public sealed class AbiWord
{
    public const int Size = 32;

    private static readonly BigInteger Modulus = BigInteger.One << 256;

    private readonly byte[] _bytes;

    private AbiWord(byte[] bytes) => _bytes = bytes;

    /// <summary>An address, left-padded with zeros.</summary>
    public static AbiWord Address(string address)
    {
        var bytes = Hex.ToBytes(address);
        if (bytes.Length != 20)
        {
            throw new ArgumentException($"An address is 20 bytes, not {bytes.Length}: {address}.", nameof(address));
        }

        var word = new byte[Size];
        bytes.CopyTo(word, Size - 20);
        return new AbiWord(word);
    }

    /// <summary>A uint256, big-endian.</summary>
    public static AbiWord Uint(BigInteger value)
    {
        if (value.Sign < 0 || value >= Modulus)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A uint256 is in [0, 2^256).");
        }

        return new AbiWord(BigEndian(value));
    }

    /// <summary>An int256, two's complement.</summary>
    public static AbiWord Int(BigInteger value)
    {
        var half = Modulus >> 1;
        if (value < -half || value >= half)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "An int256 is in [-2^255, 2^255).");
        }

        return new AbiWord(BigEndian(value.Sign < 0 ? value + Modulus : value));
    }

    /// <summary>A bytes32, exactly 32 bytes.</summary>
    public static AbiWord Bytes32(ReadOnlySpan<byte> value)
    {
        if (value.Length != Size)
        {
            throw new ArgumentException($"A bytes32 is 32 bytes, not {value.Length}.", nameof(value));
        }

        return new AbiWord(value.ToArray());
    }

    public static AbiWord Bool(bool value) => Uint(value ? BigInteger.One : BigInteger.Zero);

    /// <summary>The word's 32 bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The word as data (0x and 64 digits), as it appears in a log topic.</summary>
    public string ToHex() => Hex.Data(_bytes);

    public override string ToString() => ToHex();

    private static byte[] BigEndian(BigInteger unsignedValue)
    {
        var word = new byte[Size];
        var bytes = unsignedValue.ToByteArray(isUnsigned: true, isBigEndian: true);
        bytes.CopyTo(word, Size - bytes.Length);
        return word;
    }
}
