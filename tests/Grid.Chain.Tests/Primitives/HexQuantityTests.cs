using System.Globalization;
using System.Numerics;
using Grid.Chain.Primitives;
using Xunit;

namespace Grid.Chain.Tests.Primitives;

public sealed class HexQuantityTests
{
    [Theory]
    [InlineData(0UL, "0x0")]
    [InlineData(1UL, "0x1")]
    [InlineData(26UL, "0x1a")]
    [InlineData(255UL, "0xff")]
    [InlineData(256UL, "0x100")]
    [InlineData(31337UL, "0x7a69")]
    [InlineData(ulong.MaxValue, "0xffffffffffffffff")]
    public void Encodes_and_parses_64_bit_quantities(ulong value, string text)
    {
        Assert.Equal(text, HexQuantity.Encode(value));
        Assert.Equal(text, HexQuantity.Encode(new BigInteger(value)));
        Assert.Equal(value, HexQuantity.ParseUInt64(text));
        Assert.Equal(new BigInteger(value), HexQuantity.ParseBigInteger(text));
    }

    [Fact]
    public void Big_quantities_have_no_leading_zero_or_sign()
    {
        var max = (BigInteger.One << 256) - 1;
        Assert.Equal("0x" + new string('f', 64), HexQuantity.Encode(max));
        Assert.Equal(max, HexQuantity.ParseBigInteger("0x" + new string('f', 64)));
        Assert.Equal("0x10000000000000000", HexQuantity.Encode(BigInteger.One << 64));
        Assert.Equal("0x8", HexQuantity.Encode(new BigInteger(8)));

        // A top digit of 8 or more is not a sign in a QUANTITY.
        Assert.Equal(new BigInteger(0x80), HexQuantity.ParseBigInteger("0x80"));
    }

    [Fact]
    public void Negative_numbers_are_no_quantity() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HexQuantity.Encode(BigInteger.MinusOne));

    [Theory]
    [InlineData("0x00", 0UL)]
    [InlineData("0x001a", 26UL)]
    [InlineData("0x1A", 26UL)]
    [InlineData("0x0000000000000000000000ffffffffffffffff", ulong.MaxValue)]
    public void Leading_zeros_and_upper_case_are_accepted_on_input(string text, ulong value)
    {
        Assert.Equal(value, HexQuantity.ParseUInt64(text));
        Assert.Equal(new BigInteger(value), HexQuantity.ParseBigInteger(text));
    }

    [Theory]
    [InlineData("", "start with")]
    [InlineData("1a", "start with")]
    [InlineData("0X1a", "start with")]
    [InlineData(" 0x1a", "start with")]
    [InlineData("0x", "no digits")]
    [InlineData("0xg", "only hex digits")]
    [InlineData("0x1a ", "only hex digits")]
    [InlineData("0x-1", "only hex digits")]
    public void Bad_quantities_are_refused_with_the_problem_named(string text, string problem)
    {
        Assert.Contains(problem, Assert.Throws<FormatException>(() => HexQuantity.ParseUInt64(text)).Message, StringComparison.Ordinal);
        Assert.Contains(problem, Assert.Throws<FormatException>(() => HexQuantity.ParseBigInteger(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quantity_above_64_bits_does_not_parse_as_ulong()
    {
        Assert.Throws<FormatException>(() => HexQuantity.ParseUInt64("0x10000000000000000"));
        Assert.Equal(BigInteger.One << 64, HexQuantity.ParseBigInteger("0x10000000000000000"));
    }

    [Fact]
    public void Random_values_round_trip()
    {
        var random = new Random(31337);
        for (var i = 0; i < 1000; i++)
        {
            var value = (ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63);
            var text = HexQuantity.Encode(value);
            Assert.Equal(value, HexQuantity.ParseUInt64(text));
            Assert.Equal("0x" + value.ToString("x", CultureInfo.InvariantCulture), text);
        }
    }

    [Theory]
    [InlineData("0x", "")]
    [InlineData("0x00", "00")]
    [InlineData("0x00ff10", "00ff10")]
    [InlineData("0xABcd", "abcd")]
    public void Parses_data(string text, string hex)
    {
        var bytes = HexQuantity.ParseData(text);
        Assert.Equal(Convert.FromHexString(hex), bytes);
        Assert.Equal("0x" + hex, HexQuantity.EncodeData(bytes));
    }

    [Theory]
    [InlineData("", "start with")]
    [InlineData("00ff", "start with")]
    [InlineData("0x0", "odd number")]
    [InlineData("0x123", "odd number")]
    [InlineData("0xzz", "only hex digits")]
    [InlineData("0x00 1", "only hex digits")]
    public void Bad_data_is_refused_with_the_problem_named(string text, string problem) =>
        Assert.Contains(problem, Assert.Throws<FormatException>(() => HexQuantity.ParseData(text)).Message, StringComparison.Ordinal);
}
