using System.Numerics;

namespace Grid.Chain.Kit.Tests.Rpc;

[Collection(ChainCollection.Name)]
public sealed class AnvilClientTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task The_dev_accounts_are_anvils_default_ones()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);

        var accounts = await client.GetDevAccountsAsync(None);

        Assert.Equal(10, accounts.Count);
        // The first account of the well-known test mnemonic ("test test ... junk").
        Assert.Equal("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", accounts[0]);
        Assert.Equal(BigInteger.Pow(10, 22), await client.GetBalanceAsync(accounts[9], None));
    }

    [Fact]
    public async Task Mining_adds_blocks_that_link_to_their_parents()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        var start = await client.GetBlockNumberAsync(None);

        await client.MineAsync(5, None);

        Assert.Equal(start + 5, await client.GetBlockNumberAsync(None));
        for (var number = start + 1; number <= start + 5; number++)
        {
            var block = await client.GetBlockAsync(number, None);
            var parent = await client.GetBlockAsync(number - 1, None);
            Assert.Equal(parent!.Hash, block!.ParentHash);
        }

        Assert.Null(await client.GetBlockAsync(start + 6, None));
    }

    [Fact]
    public async Task With_automine_off_a_transaction_waits_for_the_next_mined_block()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        var accounts = await client.GetDevAccountsAsync(None);
        await client.SetAutomineAsync(false, None);
        var before = await client.GetBlockNumberAsync(None);

        var hash = await client.SendTransactionAsync(accounts[1], accounts[2], 777, null, None);

        Assert.Null(await client.GetReceiptAsync(hash, None));
        Assert.Equal(before, await client.GetBlockNumberAsync(None));
        await client.MineAsync(1, None);
        var receipt = await client.WaitForReceiptAsync(hash, None);
        Assert.Equal(before + 1, receipt.BlockNumber);
        Assert.True(receipt.Succeeded);
        Assert.Equal(accounts[1], receipt.From);
        Assert.Equal(accounts[2], receipt.To);
    }

    [Fact]
    public async Task Waiting_for_a_receipt_that_never_comes_times_out()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        var accounts = await client.GetDevAccountsAsync(None);
        await client.SetAutomineAsync(false, None);
        var hash = await client.SendTransactionAsync(accounts[1], accounts[2], 1, null, None);

        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForReceiptAsync(hash, TimeSpan.FromMilliseconds(300), None));
    }

    [Fact]
    public async Task Reverting_to_a_snapshot_undoes_blocks_and_balances()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var client = chain.Client;
        var head = await client.GetBlockNumberAsync(None);
        var snapshot = await client.SnapshotAsync(None);

        var hash = await chain.Contracts.DepositEthAsync(chain.DevAccounts[1], 5_000, ChainDeployment.Reference("undo"), None);
        await client.WaitForReceiptAsync(hash, None);
        Assert.Equal(new BigInteger(5_000), await client.GetBalanceAsync(chain.Treasury, None));

        Assert.True(await client.RevertAsync(snapshot, None));
        Assert.Equal(head, await client.GetBlockNumberAsync(None));
        Assert.Null(await client.GetReceiptAsync(hash, None));
        Assert.Equal(BigInteger.Zero, await client.GetBalanceAsync(chain.Treasury, None));
        Assert.False(await client.RevertAsync(snapshot, None));
    }

    [Fact]
    public async Task A_node_error_surfaces_as_a_JsonRpcException_with_its_code()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);

        var error = await Assert.ThrowsAsync<JsonRpcException>(() => client.RequestAsync("no_suchMethod", [], None));

        Assert.Equal("no_suchMethod", error.Method);
        Assert.Equal(-32601, error.Code);
    }

    [Fact]
    public async Task Logs_and_balances_of_past_blocks_are_served()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var client = chain.Client;
        var first = await client.WaitForReceiptAsync(await chain.Contracts.DepositEthAsync(chain.DevAccounts[1], 100, ChainDeployment.Reference("a"), None), None);
        var second = await client.WaitForReceiptAsync(await chain.Contracts.DepositEthAsync(chain.DevAccounts[2], 200, ChainDeployment.Reference("b"), None), None);

        var raw = await client.GetLogsRawAsync(
            new System.Text.Json.Nodes.JsonObject { ["fromBlock"] = "earliest", ["toBlock"] = "latest", ["address"] = chain.Contracts.Deposit },
            None);
        var logs = await client.GetLogsAsync(0, second.BlockNumber, chain.Contracts.Deposit, EventTopics.Deposited, None);

        Assert.Equal(2, raw.Count);
        Assert.Equal([first.TransactionHash, second.TransactionHash], logs.Select(log => log.TransactionHash));
        Assert.Equal(new BigInteger(100), await client.GetBalanceAsync(chain.Treasury, Hex.Quantity(first.BlockNumber), None));
        Assert.Equal(new BigInteger(300), await client.GetBalanceAsync(chain.Treasury, None));
    }
}
