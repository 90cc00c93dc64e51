using System.Numerics;
using System.Text;
using Grid.Chain.Crypto;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Chain.TestKit.Abi;

/// <summary>
/// The part of the Solidity ABI the kit needs: function selectors, event topics, calls and constructor arguments
/// of static types, and reading words back out of return data and log data.
/// </summary>
public static class AbiCodec
{
    /// <summary>The first 4 bytes of keccak256 of a canonical signature such as <c>transfer(address,uint256)</c>.</summary>
    public static byte[] Selector(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature))[..4];

    /// <summary>topic0 of an event: keccak256 of its canonical signature, as data.</summary>
    public static string EventTopic(string signature) => Hex.Data(Keccak256.Hash(Encoding.ASCII.GetBytes(signature)));

    /// <summary>Calldata: the selector of <paramref name="signature"/> followed by the arguments.</summary>
    public static string EncodeCall(string signature, params IEnumerable<AbiWord> arguments)
    {
        var selector = Selector(signature);
        var words = arguments.ToList();
        var data = new byte[selector.Length + (words.Count * AbiWord.Size)];
        selector.CopyTo(data, 0);
        for (var i = 0; i < words.Count; i++)
        {
            words[i].Bytes.CopyTo(data.AsSpan(selector.Length + (i * AbiWord.Size)));
        }

        return Hex.Data(data);
    }

    /// <summary>Arguments alone, without a selector, as appended to a contract's bytecode for its constructor (no 0x).</summary>
    public static string EncodeArguments(params IEnumerable<AbiWord> arguments) =>
        string.Concat(arguments.Select(word => Convert.ToHexStringLower(word.Bytes)));

    /// <summary>Word <paramref name="index"/> of return data or log data, as a uint256.</summary>
    public static BigInteger ReadUint(string data, int index) => new(Word(data, index), isUnsigned: true, isBigEndian: true);

    /// <summary>Word <paramref name="index"/> of return data or log data, as an int256.</summary>
    public static BigInteger ReadInt(string data, int index) => new(Word(data, index), isUnsigned: false, isBigEndian: true);

    /// <summary>Word <paramref name="index"/> as an address (lowercase).</summary>
    public static string ReadAddress(string data, int index) => Hex.Data(Word(data, index).AsSpan(AbiWord.Size - 20));

    /// <summary>Word <paramref name="index"/> as a bytes32 (data).</summary>
    public static string ReadBytes32(string data, int index) => Hex.Data(Word(data, index));

    private static byte[] Word(string data, int index)
    {
        var bytes = Hex.ToBytes(data);
        var start = index * AbiWord.Size;
        if (index < 0 || start + AbiWord.Size > bytes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The data has {bytes.Length / AbiWord.Size} word(s).");
        }

        return bytes[start..(start + AbiWord.Size)];
    }
}
