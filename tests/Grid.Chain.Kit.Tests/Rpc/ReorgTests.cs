using System.Numerics;

namespace Grid.Chain.Kit.Tests.Rpc;

/// <summary>anvil_reorg through the kit: what a watcher must survive.</summary>
[Collection(ChainCollection.Name)]
public sealed class ReorgTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_reorg_replaces_the_last_blocks_and_drops_their_transactions()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var client = chain.Client;
        var deposit = await client.WaitForReceiptAsync(await chain.Contracts.DepositEthAsync(chain.DevAccounts[1], 1_000, ChainDeployment.Reference("dropped"), None), None);
        await client.MineAsync(2, None);
        var head = await client.GetBlockNumberAsync(None);
        Assert.Equal(deposit.BlockNumber + 2, head);
        var before = await BlockHashesAsync(client, deposit.BlockNumber - 1, head);

        await client.ReorgAsync(3, None);

        Assert.Equal(head, await client.GetBlockNumberAsync(None));
        var after = await BlockHashesAsync(client, deposit.BlockNumber - 1, head);
        Assert.Equal(before[0], after[0]);
        for (var i = 1; i < before.Count; i++)
        {
            Assert.NotEqual(before[i], after[i]);
        }

        Assert.Equal(after[0], (await client.GetBlockAsync(deposit.BlockNumber, None))!.ParentHash);
        Assert.Null(await client.GetReceiptAsync(deposit.TransactionHash, None));
        Assert.Empty(await client.GetLogsAsync(0, head, chain.Contracts.Deposit, null, None));
        Assert.Equal(BigInteger.Zero, await client.GetBalanceAsync(chain.Treasury, None));

        // Dropped for good: it did not go back to the pending pool.
        await client.MineAsync(1, None);
        Assert.Null(await client.GetReceiptAsync(deposit.TransactionHash, None));
    }

    [Fact]
    public async Task A_reorg_can_put_the_same_transaction_into_another_block()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var client = chain.Client;
        var reference = ChainDeployment.Reference("moved");
        var original = await client.WaitForReceiptAsync(await chain.Contracts.DepositEthAsync(chain.DevAccounts[1], 2_000, reference, None), None);
        await client.MineAsync(3, None);
        var head = await client.GetBlockNumberAsync(None);
        var signed = await client.GetRawTransactionAsync(original.TransactionHash, None);

        // Depth 4 replaces original.BlockNumber .. head; offset 2 puts the deposit two blocks later than it was.
        await client.ReorgAsync(4, [ReorgInclusion.Signed(signed, 2)], None);

        var moved = await client.WaitForReceiptAsync(original.TransactionHash, None);
        Assert.Equal(original.BlockNumber + 2, moved.BlockNumber);
        Assert.NotEqual(original.BlockHash, moved.BlockHash);
        Assert.True(moved.Succeeded);
        Assert.Equal(head, await client.GetBlockNumberAsync(None));
        Assert.Empty((await client.GetBlockAsync(original.BlockNumber, None))!.TransactionHashes);
        Assert.Equal([original.TransactionHash], (await client.GetBlockAsync(moved.BlockNumber, None))!.TransactionHashes);
        var log = Assert.Single(await client.GetLogsAsync(0, head, chain.Contracts.Deposit, EventTopics.Deposited, None));
        Assert.Equal(moved.BlockHash, log.BlockHash);
        Assert.Equal(Topics.Of(reference), log.Topics[3]);
        Assert.Equal(new BigInteger(2_000), await client.GetBalanceAsync(chain.Treasury, None));
    }

    [Fact]
    public async Task A_reorg_can_include_a_new_transaction_signed_by_a_dev_account()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var client = chain.Client;
        await client.MineAsync(3, None);
        var head = await client.GetBlockNumberAsync(None);
        var data = AbiCodec.EncodeCall("deposit(bytes32)", AbiWord.Bytes32(ChainDeployment.Reference("in-reorg")));

        await client.ReorgAsync(2, [ReorgInclusion.Unsigned(new TransactionRequest(chain.DevAccounts[3], chain.Contracts.Deposit, 3_000, data, 300_000), 0)], None);

        var block = (await client.GetBlockAsync(head - 1, None))!;
        var receipt = await client.WaitForReceiptAsync(Assert.Single(block.TransactionHashes), None);
        Assert.True(receipt.Succeeded);
        Assert.Equal(chain.DevAccounts[3], receipt.From);
        Assert.Equal(EventTopics.Deposited, Assert.Single(receipt.Logs).Topics[0]);
        Assert.Empty((await client.GetBlockAsync(head, None))!.TransactionHashes);
    }

    [Fact]
    public async Task Block_offsets_outside_the_new_blocks_are_refused()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        await client.MineAsync(3, None);
        var request = new TransactionRequest((await client.GetDevAccountsAsync(None))[1], null, 0);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ReorgAsync(2, [ReorgInclusion.Unsigned(request, 2)], None));
        var tooDeep = await Assert.ThrowsAsync<JsonRpcException>(() => client.ReorgAsync(4, None));
        Assert.Contains("depth", tooDeep.RpcMessage, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<List<string>> BlockHashesAsync(AnvilClient client, long from, long to)
    {
        var hashes = new List<string>();
        for (var number = from; number <= to; number++)
        {
            hashes.Add((await client.GetBlockAsync(number, None))!.Hash);
        }

        return hashes;
    }
}
