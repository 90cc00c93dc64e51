using System.Numerics;
using Grid.Chain.TestKit.Contracts;
using Grid.TestKit;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// ETH sent through the deposit contract on a chain that sells credits for tokens only: the deposit is confirmed,
/// credits nothing, and settles as <c>review</c> for a person (the payer's ETH did reach the treasury) instead of
/// being asked for a rate on every tick; deposits after it are credited as usual.
/// </summary>
public sealed class UnpricedDepositTests(TokenOnlyChainSiloFixture fixture) : IClassFixture<TokenOnlyChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;

    private readonly ChainApi _chain = new(fixture.Api);
    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    [Fact]
    public async Task Ether_on_a_token_only_chain_settles_for_review_and_credits_nothing_while_a_token_deposit_after_it_is_credited()
    {
        var payer = fixture.Chain.DevAccounts[1];
        var ether = await _payer.DepositEthAsync(payer, BigInteger.Pow(10, 15), ChainDeployment.Reference("no rate for this"));
        await fixture.Chain.Client.MineAsync(N, CancellationToken.None);
        var paymentId = ChainRecords.DepositPaymentId(ether);
        await Eventually.TrueAsync(
            async () => await _chain.PaymentResponseAsync(paymentId) is { IsSuccess: true } seen && seen.Json.GetProperty("status").GetString() == "review",
            "the ETH deposit settled for review",
            ChainApi.Patience);
        Assert.Equal(0, (await _chain.PaymentAsync(paymentId)).GetProperty("credited").GetInt64());

        await fixture.Chain.Contracts.MintAsync(payer, 1_000_000, CancellationToken.None);
        var token = await _payer.DepositTokenAsync(fixture.Chain.Contracts.Token, payer, 1_000_000, ChainDeployment.Reference("one token"));
        await fixture.Chain.Client.MineAsync(N, CancellationToken.None);
        await _records.WaitForCreditsAsync([token], 1);

        var deposits = await _records.DepositsAsync(ChainRecords.WalletAccount(payer));
        var only = Assert.Single(deposits);
        Assert.Equal((token, ChainSiloFixture.CreditsPerToken), (only.GetProperty("reference").GetString(), only.GetProperty("amount").GetInt64()));
        Assert.Equal("review", (await _chain.PaymentAsync(ChainRecords.DepositPaymentId(ether))).GetProperty("status").GetString());
    }
}
