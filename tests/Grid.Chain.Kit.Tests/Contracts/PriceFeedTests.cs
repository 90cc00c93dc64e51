using System.Numerics;

namespace Grid.Chain.Kit.Tests.Contracts;

[Collection(ChainCollection.Name)]
public sealed class PriceFeedTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_feed_answers_what_was_set_in_a_new_round_each_time()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var first = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000);
        var second = first.AddMinutes(5);

        await chain.Client.WaitForReceiptAsync(await chain.Contracts.SetPriceAsync(312_345_678_901, first, None), None);
        var round1 = await chain.Contracts.GetLatestPriceAsync(None);
        await chain.Client.WaitForReceiptAsync(await chain.Contracts.SetPriceAsync(-5, second, None), None);
        var round2 = await chain.Contracts.GetLatestPriceAsync(None);

        Assert.Equal(new PriceRound(1, 312_345_678_901, first, first, 1), round1);
        Assert.Equal(new PriceRound(2, -5, second, second, 2), round2);
    }

    [Fact]
    public async Task A_feed_never_set_answers_round_zero()
    {
        await using var chain = await fixture.StartChainAsync(null, None);

        var round = await chain.Contracts.GetLatestPriceAsync(None);

        Assert.Equal(BigInteger.Zero, round.RoundId);
        Assert.Equal(DateTimeOffset.UnixEpoch, round.UpdatedAt);
    }
}
