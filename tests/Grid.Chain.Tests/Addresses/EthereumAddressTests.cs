using Grid.Chain.Addresses;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Addresses;

public sealed class EthereumAddressTests(EthVectorsFixture oracle) : IClassFixture<EthVectorsFixture>
{
    // The test vectors EIP-55 itself lists; each is its own checksummed form.
    public static TheoryData<string> Eip55Vectors =>
    [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void The_eip_55_vectors_are_their_own_checksum(string checksummed)
    {
        var fromLower = EthereumAddress.Parse(checksummed.ToLowerInvariant().Replace("0X", "0x", StringComparison.Ordinal));
        var fromUpper = EthereumAddress.Parse("0x" + checksummed[2..].ToUpperInvariant());

        Assert.Equal(checksummed, fromLower.ToChecksumString());
        Assert.Equal(checksummed, fromUpper.ToString());
        Assert.True(EthereumAddress.IsChecksummed(checksummed));
        Assert.Equal(fromLower, fromUpper);
        Assert.Equal(fromLower.GetHashCode(), fromUpper.GetHashCode());
    }

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void A_mixed_case_spelling_with_one_letter_flipped_is_a_bad_checksum(string checksummed)
    {
        // On the all-caps and all-lower vectors too: flipping one letter makes a mixed-case spelling that is not the checksum.
        var index = checksummed.IndexOfAny("abcdefABCDEF".ToCharArray(), 2);
        var flipped = checksummed[..index]
            + (char.IsAsciiLetterUpper(checksummed[index]) ? char.ToLowerInvariant(checksummed[index]) : char.ToUpperInvariant(checksummed[index]))
            + checksummed[(index + 1)..];

        Assert.False(EthereumAddress.TryParse(flipped, out _, out var error));
        Assert.Equal(EthereumAddressError.BadChecksum, error);
        Assert.Throws<FormatException>(() => EthereumAddress.Parse(flipped));
    }

    [Fact]
    public void Matches_ethers_getAddress_for_random_addresses()
    {
        Assert.Equal(EthVectors.Count, oracle.Vectors.Eip55.Count);
        foreach (var vector in oracle.Vectors.Eip55)
        {
            var address = EthereumAddress.Parse(vector.Lower);
            Assert.Equal(vector.Checksummed, address.ToChecksumString());
            Assert.Equal(vector.Lower, address.ToLowerHexString());
            Assert.True(EthereumAddress.TryParseChecksummed(vector.Checksummed, out var strict, out _));
            Assert.Equal(address, strict);
        }
    }

    [Theory]
    [InlineData("5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", EthereumAddressError.MissingPrefix)]
    [InlineData("0X5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", EthereumAddressError.MissingPrefix)]
    [InlineData("", EthereumAddressError.MissingPrefix)]
    [InlineData(null, EthereumAddressError.MissingPrefix)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe", EthereumAddressError.WrongLength)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0", EthereumAddressError.WrongLength)]
    [InlineData("0x", EthereumAddressError.WrongLength)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", EthereumAddressError.NotHexadecimal)]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA d", EthereumAddressError.NotHexadecimal)]
    public void Malformed_texts_are_refused_with_the_reason(string? text, EthereumAddressError expected)
    {
        Assert.False(EthereumAddress.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void The_strict_parse_refuses_unchecksummed_spellings_that_the_lenient_one_accepts()
    {
        const string lower = "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed";
        Assert.True(EthereumAddress.TryParse(lower, out _, out _));
        Assert.False(EthereumAddress.TryParseChecksummed(lower, out _, out var error));
        Assert.Equal(EthereumAddressError.NotChecksummed, error);

        // An address with no letters has one spelling, which is its checksummed form.
        Assert.True(EthereumAddress.TryParseChecksummed("0x1234567890123456789012345678901234567890", out _, out _));
    }

    [Fact]
    public void Equality_ignores_letter_case_and_compares_bytes()
    {
        var a = EthereumAddress.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        var b = EthereumAddress.Parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED");
        var c = EthereumAddress.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");

        Assert.True(a == b);
        Assert.False(a != b);
        Assert.True(a.Equals((object)b));
        Assert.NotEqual(a, c);
        Assert.True(a != c);
        Assert.False(a.Equals(null));
        Assert.Equal(a, EthereumAddress.FromBytes(a.Bytes));
        Assert.Throws<ArgumentException>(() => EthereumAddress.FromBytes(new byte[19]));
    }
}
