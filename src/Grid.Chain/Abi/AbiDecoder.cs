using System.Numerics;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;

namespace Grid.Chain.Abi;

/// <summary>
/// Reads static values from ABI-encoded data (event data, eth_call results) by 32-byte word index. Data too
/// short for the word, or a word that does not hold a value of the type, is a <see cref="FormatException"/>.
/// </summary>
public static class AbiDecoder
{
    /// <summary>The address in word <paramref name="wordIndex"/>; its 12 high bytes must be zero.</summary>
    public static EthereumAddress Address(ReadOnlySpan<byte> data, int wordIndex) => AddressFromWord(Word(data, wordIndex), $"word {wordIndex}");

    /// <summary>The uint256 in word <paramref name="wordIndex"/>.</summary>
    public static BigInteger UInt256(ReadOnlySpan<byte> data, int wordIndex) =>
        new(Word(data, wordIndex), isUnsigned: true, isBigEndian: true);

    /// <summary>The int256 (two's complement) in word <paramref name="wordIndex"/>.</summary>
    public static BigInteger Int256(ReadOnlySpan<byte> data, int wordIndex) =>
        new(Word(data, wordIndex), isUnsigned: false, isBigEndian: true);

    /// <summary>The bool in word <paramref name="wordIndex"/>; the word must be 0 or 1.</summary>
    public static bool Bool(ReadOnlySpan<byte> data, int wordIndex)
    {
        var word = Word(data, wordIndex);
        if (word[..^1].ContainsAnyExcept((byte)0) || word[^1] > 1)
        {
            throw new FormatException($"Word {wordIndex} is not a bool: it must be 0 or 1.");
        }

        return word[^1] == 1;
    }

    /// <summary>The 32 bytes of word <paramref name="wordIndex"/>.</summary>
    public static byte[] Bytes32(ReadOnlySpan<byte> data, int wordIndex) => Word(data, wordIndex).ToArray();

    /// <summary>The address in an indexed address topic, e.g. topic 1 or 2 of an ERC-20 Transfer.</summary>
    public static EthereumAddress AddressFromTopic(Hash32 topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return AddressFromWord(topic.Bytes, $"topic {topic}");
    }

    private static EthereumAddress AddressFromWord(ReadOnlySpan<byte> word, string where)
    {
        // Nonzero padding means the word is not an address: a different type, or data built to mislead.
        if (word[..AbiWord.AddressPadding].ContainsAnyExcept((byte)0))
        {
            throw new FormatException($"The {where} is not an address: its {AbiWord.AddressPadding} high bytes are not zero.");
        }

        return EthereumAddress.FromBytes(word[AbiWord.AddressPadding..]);
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int wordIndex)
    {
        if (wordIndex < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(wordIndex), wordIndex, "A word index is never negative.");
        }

        var start = (long)wordIndex * AbiWord.Length;
        if (start + AbiWord.Length > data.Length)
        {
            throw new FormatException($"The data has {data.Length} bytes, too short for word {wordIndex} (bytes {start} to {start + AbiWord.Length - 1}).");
        }

        return data.Slice((int)start, AbiWord.Length);
    }
}
