namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Crediting at the finalized tag (Anvil finalizes 64 blocks below its head) with only 8 block hashes kept: a deposit's
/// block leaves the kept window long before it is finalized, so a reorg of it can only be seen by reading the block again.
/// </summary>
public sealed class FinalizedBelowWindowTests(FinalizedBelowWindowTests.ShallowWindowFixture fixture) : IClassFixture<FinalizedBelowWindowTests.ShallowWindowFixture>
{
    private const int FinalizedDepth = 64;
    private const int Window = 8;

    public sealed class ShallowWindowFixture : ChainSiloFixture
    {
        protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
        {
            ["Grid__Chains__0__UseFinalized"] = "true",
            ["Grid__Chains__0__ReorgWindow"] = $"{Window}",
        };
    }

    [Fact]
    public async Task A_deposit_whose_block_was_replaced_below_the_kept_window_is_never_credited_when_the_tag_passes_it()
    {
        var chain = new ChainApi(fixture.Api);
        var payer = fixture.Chain.DevAccounts[1];
        var intent = await chain.IntentAsync(payer, "ETH", 55);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var hash = await new ChainPayer(fixture.Chain).PayIntentAsync(payer, intent);

        // Scanned 20 blocks past the deposit: its block is 12 below the oldest hash kept, and far from finalized.
        const int Depth = 3 * Window - 3;
        await fixture.Chain.Client.MineAsync(Depth - 1, CancellationToken.None);
        await chain.WaitForAsync(paymentId, "confirming", Depth);

        // Every block from the deposit's on is replaced by an empty one; then the finalized tag passes its height.
        await fixture.Chain.Client.ReorgAsync(Depth, CancellationToken.None);
        Assert.Null(await fixture.Chain.Client.GetReceiptAsync(hash, CancellationToken.None));
        await fixture.Chain.Client.MineAsync(FinalizedDepth + 1, CancellationToken.None);

        var dropped = await chain.WaitForAsync(paymentId, "pending", 0);
        Assert.Equal(0, dropped.GetProperty("credited").GetInt64());
        Assert.Contains(fixture.Silo.Output, line => line.Contains("was replaced below the 8 kept blocks before it could be credited", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(1)); // some ticks more: nothing comes back
        Assert.Equal("pending", (await chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
        Assert.Empty(await new ChainRecords(fixture).DepositsAsync(ChainRecords.WalletAccount(payer)));
    }
}
