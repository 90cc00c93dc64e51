using System.Text;
using Grid.Chain.Crypto;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Crypto;

public sealed class Keccak256Tests(EthVectorsFixture oracle) : IClassFixture<EthVectorsFixture>
{
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    [InlineData("Transfer(address,address,uint256)", "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")]
    public void Known_strings_hash_to_their_published_digests(string text, string expectedHex)
    {
        Assert.Equal(expectedHex, Convert.ToHexStringLower(Keccak256.Hash(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void Is_not_fips_202_sha3_256()
    {
        // SHA3-256("") differs from Keccak-256("") only by the padding byte; Ethereum uses Keccak's.
        const string sha3OfEmpty = "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a";
        Assert.NotEqual(sha3OfEmpty, Convert.ToHexStringLower(Keccak256.Hash([])));
    }

    [Fact]
    public void Matches_ethers_keccak256_across_block_boundaries()
    {
        Assert.NotEmpty(oracle.Vectors.Keccak);
        foreach (var vector in oracle.Vectors.Keccak)
        {
            var input = Convert.FromHexString(vector.Input.AsSpan(2));
            Assert.Equal(vector.Hash, "0x" + Convert.ToHexStringLower(Keccak256.Hash(input)));
        }
    }

    [Fact]
    public void Writes_into_a_destination_span_and_refuses_a_short_one()
    {
        Span<byte> destination = stackalloc byte[40];
        Keccak256.Hash("abc"u8, destination);
        Assert.Equal(Keccak256.Hash("abc"u8), destination[..32].ToArray());
        Assert.Throws<ArgumentException>(() => Keccak256.Hash("abc"u8, new byte[31]));
    }
}
