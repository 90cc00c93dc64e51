using Grid.Chain.Abi;
using Xunit;

namespace Grid.Chain.Tests.Abi;

public sealed class AbiSignaturesTests
{
    // Selectors every block explorer shows for these ERC-20 and Chainlink functions.
    [Theory]
    [InlineData("transfer(address,uint256)", "a9059cbb")]
    [InlineData("balanceOf(address)", "70a08231")]
    [InlineData("approve(address,uint256)", "095ea7b3")]
    [InlineData("transferFrom(address,address,uint256)", "23b872dd")]
    [InlineData("decimals()", "313ce567")]
    [InlineData("latestRoundData()", "feaf968c")]
    public void Function_selectors_match_the_known_ones(string signature, string selector) =>
        Assert.Equal(selector, Convert.ToHexStringLower(AbiSignatures.FunctionSelector(signature)));

    [Theory]
    [InlineData("Transfer(address,address,uint256)", "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")]
    [InlineData("Approval(address,address,uint256)", "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925")]
    public void Event_topics_match_the_known_ones(string signature, string topic) =>
        Assert.Equal(topic, AbiSignatures.EventTopic(signature).ToString());

    [Theory]
    [InlineData("transfer(address, uint256)")]
    [InlineData("transfer(address to,uint256 amount)")]
    [InlineData(" transfer(address,uint256)")]
    [InlineData("transfer")]
    [InlineData("(address)")]
    [InlineData("transfer(address,uint256")]
    [InlineData("")]
    public void Signatures_that_are_not_canonical_are_refused(string signature)
    {
        Assert.ThrowsAny<ArgumentException>(() => AbiSignatures.FunctionSelector(signature));
        Assert.ThrowsAny<ArgumentException>(() => AbiSignatures.EventTopic(signature));
        Assert.ThrowsAny<ArgumentException>(() => new AbiEncoder(signature));
    }
}
