using Grid.Chain.Signing;
using Grid.Chain.Tests.Support;
using Xunit;

namespace Grid.Chain.Tests.Signing;

public sealed class PersonalMessageTests(EthVectorsFixture oracle) : IClassFixture<EthVectorsFixture>
{
    [Fact]
    public void Hello_world_hashes_to_the_digest_ethers_documents()
    {
        Assert.Equal(
            "a1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2",
            Convert.ToHexStringLower(PersonalMessage.Hash("Hello World")));
    }

    [Fact]
    public void Matches_ethers_hashMessage_for_texts_and_bytes()
    {
        Assert.Equal(EthVectors.Count, oracle.Vectors.Personal.Count);
        var texts = 0;
        var multiByte = 0;
        foreach (var vector in oracle.Vectors.Personal)
        {
            byte[] digest;
            if (vector.Message is { } message)
            {
                texts++;
                multiByte += System.Text.Encoding.UTF8.GetByteCount(message) != message.Length ? 1 : 0;
                digest = PersonalMessage.Hash(message);
            }
            else
            {
                digest = PersonalMessage.Hash(Convert.FromHexString(vector.MessageHex!.AsSpan(2)));
            }

            Assert.Equal(vector.Hash, "0x" + Convert.ToHexStringLower(digest));
        }

        // The length in the prefix counts bytes, so texts where bytes and characters differ must be among them.
        Assert.True(multiByte > 10, $"only {multiByte} of {texts} texts had multi-byte characters");
        Assert.True(texts < oracle.Vectors.Personal.Count, "no raw byte messages were checked");
    }
}
