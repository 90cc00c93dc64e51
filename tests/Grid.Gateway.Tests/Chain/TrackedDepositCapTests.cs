using Grid.Chain.TestKit.Contracts;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// At its cap of followed deposits the watcher stops reading new ranges. The deposits just below its cursor must still grow
/// deeper as blocks come (the blocks past the cursor are linked by hash), or they would never settle, never leave, and the
/// pause would last for good: a cheap flood of dust transfers to the treasury would stop every later credit on the chain.
/// </summary>
public sealed class TrackedDepositCapTests(TrackedCapChainSiloFixture fixture) : IClassFixture<TrackedCapChainSiloFixture>
{
    private const long WeiPerCredit = 1_000_000_000_000; // the fixture's ETH rate is 10^6 credits an ETH

    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Deposits_at_the_cap_settle_as_blocks_come_and_the_scan_goes_on_once_they_leave_the_window()
    {
        var payers = fixture.Chain.DevAccounts.Skip(1).Take(3).ToArray();
        var first = await _payer.DepositEthAsync(payers[0], 100 * WeiPerCredit, ChainDeployment.Reference($"cap-{Guid.NewGuid():N}"));
        var second = await _payer.DepositEthAsync(payers[1], 101 * WeiPerCredit, ChainDeployment.Reference($"cap-{Guid.NewGuid():N}"));

        // The watcher (polling every 200 ms) follows both before they are deep enough, reaches its cap and pauses there.
        await Eventually.TrueAsync(() => fixture.Silo.Output.Any(l => l.Contains("scanning pauses", StringComparison.Ordinal)), "the pause", ChainApi.Patience);
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
        await _records.WaitForCreditsAsync([first, second], 2);

        // Paused still: a deposit now is read once the first two have left the reorg window.
        var third = await _payer.DepositEthAsync(payers[2], 102 * WeiPerCredit, ChainDeployment.Reference($"cap-{Guid.NewGuid():N}"));
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await _records.CreditsOfAsync([third]));
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.ReorgWindow + ChainSiloFixture.Confirmations, Ct);
        await _records.WaitForCreditsAsync([third], 1);

        var credited = (await _records.CreditsOfAsync([first, second, third])).Select(c => c.Transaction.ToLowerInvariant()).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { first, second, third }.Select(t => t.ToLowerInvariant()).Order(StringComparer.Ordinal), credited); // each once
    }
}
