using Grid.Chain.Primitives;
using Xunit;

namespace Grid.Chain.Tests.Primitives;

public sealed class Hash32Tests
{
    private const string TransferTopic = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

    [Fact]
    public void Parses_any_letter_case_and_prints_lower_case()
    {
        var lower = Hash32.Parse(TransferTopic);
        var upper = Hash32.Parse("0x" + TransferTopic[2..].ToUpperInvariant());

        Assert.Equal(TransferTopic, lower.ToString());
        Assert.Equal(TransferTopic, upper.ToString());
        Assert.Equal(lower, upper);
        Assert.True(lower == upper);
        Assert.False(lower != upper);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
        Assert.Equal(Convert.FromHexString(TransferTopic[2..]), lower.Bytes.ToArray());
    }

    [Fact]
    public void Values_with_different_bytes_differ()
    {
        var a = Hash32.Parse(TransferTopic);
        var bytes = a.Bytes.ToArray();
        bytes[31] ^= 1;
        var b = Hash32.FromBytes(bytes);

        Assert.NotEqual(a, b);
        Assert.True(a != b);
        Assert.False(a.Equals(null));
        Assert.True((Hash32?)null == null);
    }

    [Fact]
    public void Zero_is_thirty_two_zero_bytes()
    {
        Assert.Equal("0x" + new string('0', 64), Hash32.Zero.ToString());
        Assert.Equal(Hash32.Zero, Hash32.FromBytes(new byte[32]));
        Assert.Same(Hash32.Zero, Hash32.Zero);
    }

    [Fact]
    public void From_bytes_copies_them()
    {
        var bytes = new byte[32];
        var hash = Hash32.FromBytes(bytes);
        bytes[0] = 0xFF;

        Assert.Equal(Hash32.Zero, hash);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(0)]
    [InlineData(20)]
    public void From_bytes_of_another_length_is_refused(int length) =>
        Assert.Throws<ArgumentException>(() => Hash32.FromBytes(new byte[length]));

    public static TheoryData<string?, string> BadTexts => new()
    {
        { null, "start with" },
        { "", "start with" },
        { "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", "start with" },
        { "0Xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", "start with" },
        { " 0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", "start with" },
        { "0x", "64 hex digits" },
        { "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3e", "64 hex digits" },
        { "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef0", "64 hex digits" },
        { "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef ", "64 hex digits" },
        { "0xgdf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", "only hex digits" },
        { "0x-df252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", "only hex digits" },
    };

    [Theory]
    [MemberData(nameof(BadTexts))]
    public void Bad_texts_are_refused_with_the_problem_named(string? text, string problem)
    {
        Assert.False(Hash32.TryParse(text, out var hash));
        Assert.Null(hash);
        var error = Assert.Throws<FormatException>(() => Hash32.Parse(text!));
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Try_parse_gives_the_value()
    {
        Assert.True(Hash32.TryParse(TransferTopic, out var hash));
        Assert.Equal(TransferTopic, hash.ToString());
    }
}
