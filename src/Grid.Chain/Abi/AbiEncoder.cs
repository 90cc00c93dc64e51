using System.Numerics;
using Grid.Chain.Addresses;

namespace Grid.Chain.Abi;

/// <summary>
/// Builds calldata for a function with static parameters: the 4-byte selector, then one 32-byte word per
/// argument in order. Dynamic types (bytes, string, arrays) are not supported.
/// </summary>
public sealed class AbiEncoder
{
    private readonly byte[] _selector;
    private readonly List<byte[]> _words = [];

    /// <summary>An encoder for the function with canonical signature <paramref name="functionSignature"/>.</summary>
    public AbiEncoder(string functionSignature) => _selector = AbiSignatures.FunctionSelector(functionSignature);

    /// <inheritdoc cref="AbiEncoder(string)"/>
    public static AbiEncoder ForFunction(string signature) => new(signature);

    /// <summary>Appends an address, left-padded with zeros.</summary>
    public AbiEncoder Address(EthereumAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var word = new byte[AbiWord.Length];
        address.Bytes.CopyTo(word.AsSpan(AbiWord.AddressPadding));
        return Append(word);
    }

    /// <summary>Appends a uint256; throws <see cref="ArgumentOutOfRangeException"/> outside 0 to 2^256 - 1.</summary>
    public AbiEncoder UInt256(BigInteger value)
    {
        if (value.Sign < 0 || value >= AbiWord.UInt256Limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A uint256 is from 0 to 2^256 - 1.");
        }

        return Append(BigEndianWord(value));
    }

    /// <summary>Appends an int256 in two's complement; throws <see cref="ArgumentOutOfRangeException"/> outside -2^255 to 2^255 - 1.</summary>
    public AbiEncoder Int256(BigInteger value)
    {
        if (value < AbiWord.Int256Min || value >= AbiWord.Int256Limit)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "An int256 is from -2^255 to 2^255 - 1.");
        }

        return Append(BigEndianWord(value));
    }

    /// <summary>Appends a bool as the word 0 or 1.</summary>
    public AbiEncoder Bool(bool value) => Append(BigEndianWord(value ? BigInteger.One : BigInteger.Zero));

    /// <summary>Appends a bytes32 value, which must be exactly 32 bytes.</summary>
    public AbiEncoder Bytes32(ReadOnlySpan<byte> value)
    {
        if (value.Length != AbiWord.Length)
        {
            throw new ArgumentException($"A bytes32 value is {AbiWord.Length} bytes, not {value.Length}.", nameof(value));
        }

        return Append(value.ToArray());
    }

    /// <summary>The selector followed by the words appended so far.</summary>
    public byte[] Build()
    {
        var data = new byte[_selector.Length + (_words.Count * AbiWord.Length)];
        _selector.CopyTo(data, 0);
        for (var i = 0; i < _words.Count; i++)
        {
            _words[i].CopyTo(data, _selector.Length + (i * AbiWord.Length));
        }

        return data;
    }

    // Sign-extended to 32 bytes, so a negative value comes out as its two's complement.
    private static byte[] BigEndianWord(BigInteger value)
    {
        var word = new byte[AbiWord.Length];
        if (value.Sign < 0)
        {
            word.AsSpan().Fill(0xFF);
        }

        var length = value.GetByteCount(isUnsigned: value.Sign >= 0);
        value.TryWriteBytes(word.AsSpan(AbiWord.Length - length), out _, isUnsigned: value.Sign >= 0, isBigEndian: true);
        return word;
    }

    private AbiEncoder Append(byte[] word)
    {
        _words.Add(word);
        return this;
    }
}
