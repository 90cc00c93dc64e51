using Grid.Chain.TestKit.Rpc;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// A deposit found by a range the watcher scans while the node names a head far beyond the blocks it can show (a
/// backend on a longer fork): its confirmations are counted to the range's last block, which the scan read, so it is not
/// credited before the chain really has them. Log ranges of five blocks, so the scan trails the named head.
/// </summary>
public sealed class RangeConfirmationTests(SmallRangeChainSiloFixture fixture) : IClassFixture<SmallRangeChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;

    private readonly ChainApi _chain = new(fixture.Api);
    private readonly ChainPayer _payer = new(fixture.Chain);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_deposit_a_range_finds_under_a_head_the_node_cannot_show_waits_for_real_confirmations()
    {
        var client = fixture.Chain.Client;
        var payer = fixture.Chain.DevAccounts[1];
        var intent = await _chain.IntentAsync(payer, "ETH", 700);
        var paymentId = intent.GetProperty("paymentId").GetString()!;

        // The watcher is held at the current head while four empty blocks and the deposit's are mined: the deposit is the
        // last block of the next five-block range.
        var start = await client.GetBlockNumberAsync(Ct);
        var lag = fixture.Proxy.HoldHeadAt(start);
        try
        {
            await Eventually.TrueAsync(() => lag.Answered >= 2, "the watcher sees the held head");
            await client.MineAsync(SmallRangeChainSiloFixture.MaxLogRange - 1, Ct);
            var tx = await _payer.PayIntentAsync(payer, intent);
            Assert.Equal(start + SmallRangeChainSiloFixture.MaxLogRange, (await client.GetReceiptAsync(tx, Ct))!.BlockNumber);

            // Now the node names a head 20 blocks past its real one: the range up to the deposit's block reads well, the
            // next one cannot, and the deposit has one real confirmation.
            var seen = lag.Answered;
            lag.MoveTo(start + SmallRangeChainSiloFixture.MaxLogRange + 20);
            await Eventually.TrueAsync(() => lag.Answered >= seen + 10, "ten ticks under the named head", within: TimeSpan.FromSeconds(30));
            var payment = await _chain.PaymentAsync(paymentId);
            Assert.Equal("confirming", payment.GetProperty("status").GetString());
            Assert.Equal(0, payment.GetProperty("credited").GetInt64());
        }
        finally
        {
            lag.Release();
        }

        await client.MineAsync(N - 1, Ct);
        Assert.Equal(700, (await _chain.WaitForAsync(paymentId, "credited")).GetProperty("credited").GetInt64());
    }
}
