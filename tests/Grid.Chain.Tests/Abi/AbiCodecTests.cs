using System.Numerics;
using Grid.Chain.Abi;
using Grid.Chain.Addresses;
using Grid.Chain.Primitives;
using Xunit;

namespace Grid.Chain.Tests.Abi;

public sealed class AbiCodecTests
{
    private static readonly EthereumAddress Recipient = EthereumAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    private static readonly BigInteger MaxUInt256 = (BigInteger.One << 256) - 1;
    private static readonly BigInteger MinInt256 = -(BigInteger.One << 255);
    private static readonly BigInteger MaxInt256 = (BigInteger.One << 255) - 1;

    [Fact]
    public void Transfer_calldata_is_the_selector_and_two_padded_words()
    {
        var data = AbiEncoder.ForFunction("transfer(address,uint256)").Address(Recipient).UInt256(1_000_000).Build();

        Assert.Equal(
            "a9059cbb"
            + "0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
            + "00000000000000000000000000000000000000000000000000000000000f4240",
            Convert.ToHexStringLower(data));
    }

    [Fact]
    public void A_call_without_arguments_is_the_selector_alone() =>
        Assert.Equal("313ce567", Convert.ToHexStringLower(new AbiEncoder("decimals()").Build()));

    [Fact]
    public void Uint256_round_trips_at_the_edges()
    {
        BigInteger[] values = [BigInteger.Zero, BigInteger.One, 255, 256, ulong.MaxValue, (BigInteger)ulong.MaxValue + 1, MaxUInt256 - 1, MaxUInt256];
        var encoder = AbiEncoder.ForFunction("f()");
        foreach (var value in values)
        {
            encoder.UInt256(value);
        }

        var words = encoder.Build().AsSpan(4);
        Assert.Equal(values.Length * 32, words.Length);
        for (var i = 0; i < values.Length; i++)
        {
            Assert.Equal(values[i], AbiDecoder.UInt256(words, i));
        }

        Assert.Equal(new string('f', 64), Convert.ToHexStringLower(words.Slice((values.Length - 1) * 32, 32)));
    }

    [Fact]
    public void Int256_is_twos_complement()
    {
        var words = AbiEncoder.ForFunction("f()").Int256(BigInteger.MinusOne).Int256(MinInt256).Int256(MaxInt256).Int256(-256).Int256(5).Build().AsSpan(4);

        Assert.Equal(new string('f', 64), Convert.ToHexStringLower(words[..32]));
        Assert.Equal("8" + new string('0', 63), Convert.ToHexStringLower(words.Slice(32, 32)));
        Assert.Equal("7" + new string('f', 63), Convert.ToHexStringLower(words.Slice(64, 32)));
        Assert.Equal(new string('f', 62) + "00", Convert.ToHexStringLower(words.Slice(96, 32)));
        Assert.Equal(BigInteger.MinusOne, AbiDecoder.Int256(words, 0));
        Assert.Equal(MinInt256, AbiDecoder.Int256(words, 1));
        Assert.Equal(MaxInt256, AbiDecoder.Int256(words, 2));
        Assert.Equal(new BigInteger(-256), AbiDecoder.Int256(words, 3));
        Assert.Equal(new BigInteger(5), AbiDecoder.Int256(words, 4));

        // The same word read as unsigned is 2^256 - 1, not -1.
        Assert.Equal(MaxUInt256, AbiDecoder.UInt256(words, 0));
    }

    [Fact]
    public void Integers_out_of_range_are_refused()
    {
        var encoder = AbiEncoder.ForFunction("f()");
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.UInt256(BigInteger.MinusOne));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.UInt256(MaxUInt256 + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Int256(MaxInt256 + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => encoder.Int256(MinInt256 - 1));
        Assert.Equal(4, encoder.Build().Length);
    }

    [Fact]
    public void Addresses_bools_and_bytes32_round_trip()
    {
        var bytes = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var words = AbiEncoder.ForFunction("f()").Address(Recipient).Bool(true).Bool(false).Bytes32(bytes).Build().AsSpan(4);

        Assert.Equal(Recipient, AbiDecoder.Address(words, 0));
        Assert.True(AbiDecoder.Bool(words, 1));
        Assert.False(AbiDecoder.Bool(words, 2));
        Assert.Equal(bytes, AbiDecoder.Bytes32(words, 3));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Bytes32_takes_exactly_32_bytes(int length) =>
        Assert.Throws<ArgumentException>(() => AbiEncoder.ForFunction("f()").Bytes32(new byte[length]));

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void An_address_word_with_dirty_high_bytes_is_refused(int dirtyByte)
    {
        var word = new byte[32];
        Recipient.Bytes.CopyTo(word.AsSpan(12));
        word[dirtyByte] = 1;

        Assert.Throws<FormatException>(() => AbiDecoder.Address(word, 0));
        Assert.Throws<FormatException>(() => AbiDecoder.AddressFromTopic(Hash32.FromBytes(word)));
    }

    [Fact]
    public void An_address_topic_gives_its_address()
    {
        var topic = Hash32.Parse("0x0000000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
        Assert.Equal(Recipient, AbiDecoder.AddressFromTopic(topic));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(255)]
    public void A_bool_word_other_than_0_or_1_is_refused(int value)
    {
        var word = AbiEncoder.ForFunction("f()").UInt256(value).Build().AsSpan(4).ToArray();
        Assert.Throws<FormatException>(() => AbiDecoder.Bool(word, 0));
    }

    [Fact]
    public void Data_too_short_for_the_word_is_refused()
    {
        var data = new byte[63];
        Assert.Equal(BigInteger.Zero, AbiDecoder.UInt256(data, 0));
        Assert.Throws<FormatException>(() => AbiDecoder.UInt256(data, 1));
        Assert.Throws<FormatException>(() => AbiDecoder.Int256(data, 1));
        Assert.Throws<FormatException>(() => AbiDecoder.Address(data, 1));
        Assert.Throws<FormatException>(() => AbiDecoder.Bytes32(data, 1));
        Assert.Throws<FormatException>(() => AbiDecoder.Bool(data, 1));
        Assert.Throws<FormatException>(() => AbiDecoder.UInt256([], 0));
        Assert.Throws<FormatException>(() => AbiDecoder.UInt256(data, int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => AbiDecoder.UInt256(data, -1));
    }
}
