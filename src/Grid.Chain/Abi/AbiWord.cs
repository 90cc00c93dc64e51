using System.Numerics;

namespace Grid.Chain.Abi;

/// <summary>The 32-byte word every static ABI value occupies, and the bounds of the integers it holds.</summary>
internal static class AbiWord
{
    public const int Length = 32;

    /// <summary>Bytes of zero padding before a 20-byte address in its word.</summary>
    public const int AddressPadding = Length - 20;

    public static readonly BigInteger UInt256Limit = BigInteger.One << 256;

    public static readonly BigInteger Int256Min = -(BigInteger.One << 255);

    public static readonly BigInteger Int256Limit = BigInteger.One << 255;
}
