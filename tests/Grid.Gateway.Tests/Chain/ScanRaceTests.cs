using Grid.Chain.TestKit.Abi;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// A block replaced while the watcher reads its logs: the node answers eth_getLogs from the old block (no deposit), then
/// a reorg puts a block with a deposit at that height before the watcher reads the block headers. The watcher must see
/// that the blocks changed under its read and scan them again, not move its cursor past a deposit it never saw.
/// </summary>
public sealed class ScanRaceTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;

    private readonly ChainRecords _records = new(fixture);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_deposit_in_a_block_that_replaced_one_during_the_log_read_is_still_credited_once()
    {
        var payer = fixture.Chain.DevAccounts[1];
        var client = fixture.Chain.Client;
        await client.MineAsync(1, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1)); // the watcher catches up to the head

        var hold = fixture.Proxy.HoldNextLogAnswer();
        await client.MineAsync(1, Ct); // an empty block: its logs (none) are read and kept back
        await hold.Held.WaitAsync(TimeSpan.FromSeconds(30));
        var height = await client.GetBlockNumberAsync(Ct);

        var data = AbiCodec.EncodeCall("deposit(bytes32)", AbiWord.Bytes32(ChainDeployment.Reference("race")));
        await client.ReorgAsync(1, [ReorgInclusion.Unsigned(new TransactionRequest(payer, fixture.Chain.Contracts.Deposit, 70_000_000_000_000, data, 300_000), 0)], Ct);
        var deposit = Assert.Single((await client.GetBlockAsync(height, Ct))!.TransactionHashes);
        hold.Release();

        await client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([deposit], 1);
        var account = ChainRecords.WalletAccount(payer);
        var entry = Assert.Single(await _records.DepositsAsync(account));
        Assert.Equal((deposit, 70L), (entry.GetProperty("reference").GetString(), entry.GetProperty("amount").GetInt64())); // 10^12 wei a credit
        Assert.Single(await _records.CreditsOfAsync([deposit]));
    }
}
