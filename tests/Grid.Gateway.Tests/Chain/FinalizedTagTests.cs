using System.Numerics;

namespace Grid.Gateway.Tests.Chain;

/// <summary>A chain configured to credit at the node's <c>finalized</c> tag (Anvil finalizes 64 blocks below its head).</summary>
public sealed class FinalizedTagTests(FinalizedTagTests.FinalizedChainFixture fixture) : IClassFixture<FinalizedTagTests.FinalizedChainFixture>
{
    private const int FinalizedDepth = 64;

    public sealed class FinalizedChainFixture : ChainSiloFixture
    {
        protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
        {
            ["Grid__Chains__0__UseFinalized"] = "true",
            ["Grid__Chains__0__ReorgWindow"] = "128",
        };
    }

    [Fact]
    public async Task A_deposit_is_credited_when_its_block_is_finalized_and_not_a_block_before()
    {
        var chain = new ChainApi(fixture.Api);
        var payer = fixture.Chain.DevAccounts[1];
        var intent = await chain.IntentAsync(payer, "ETH", 40);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var hash = await fixture.Chain.Client.SendTransactionAsync(
            payer, intent.GetProperty("to").GetString(), BigInteger.Parse(intent.GetProperty("value").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            intent.GetProperty("data").GetString(), CancellationToken.None);
        var receipt = await fixture.Chain.Client.WaitForReceiptAsync(hash, CancellationToken.None);
        Assert.True(receipt.Succeeded);

        // Head = block + 63: the finalized block (head - 64) is the one before the deposit's.
        await fixture.Chain.Client.MineAsync(FinalizedDepth - 1, CancellationToken.None);
        var waiting = await chain.WaitForAsync(paymentId, "confirming", FinalizedDepth);
        Assert.Equal(0, waiting.GetProperty("credited").GetInt64());
        Assert.Equal(FinalizedDepth + 1, waiting.GetProperty("required").GetInt32());
        var finalized = await fixture.Chain.Client.GetBlockAsync("finalized", CancellationToken.None);
        Assert.Equal(receipt.BlockNumber - 1, finalized!.Number);

        await fixture.Chain.Client.MineAsync(1, CancellationToken.None);
        var credited = await chain.WaitForAsync(paymentId, "credited");
        Assert.Equal(40, credited.GetProperty("credited").GetInt64());
    }
}
