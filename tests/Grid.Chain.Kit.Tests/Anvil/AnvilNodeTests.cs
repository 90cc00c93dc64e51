using System.Numerics;
using Grid.TestKit;

namespace Grid.Chain.Kit.Tests.Anvil;

[Collection(ChainCollection.Name)]
public sealed class AnvilNodeTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Stop_and_start_bring_the_same_chain_back_on_the_same_port()
    {
        await using var chain = await fixture.StartChainAsync(new AnvilOptions { ChainId = 4242 }, None);
        var client = chain.Client;
        var deposit = await client.WaitForReceiptAsync(await chain.Contracts.DepositEthAsync(chain.DevAccounts[1], 7_000, ChainDeployment.Reference("kept"), None), None);
        await client.MineAsync(3, None);
        var head = (await client.GetBlockAsync("latest", None))!;
        var url = chain.Node.RpcUrl;

        await chain.Node.StopAsync(None);

        Assert.False(chain.Node.IsRunning);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetBlockNumberAsync(None));

        await chain.Node.StartAsync(None);

        Assert.Equal(url, chain.Node.RpcUrl);
        Assert.Equal(4242, await client.GetChainIdAsync(None));
        Assert.Equal(head, await client.GetBlockAsync(head.Number, None));
        Assert.Equal(deposit, await client.GetReceiptAsync(deposit.TransactionHash, None));
        Assert.Equal(deposit.Logs, await client.GetLogsAsync(0, head.Number, chain.Contracts.Deposit, null, None));
        Assert.Equal(new BigInteger(7_000), await client.GetBalanceAsync(chain.Treasury, None));
        // Past states came back too, not just the latest one.
        Assert.Equal(BigInteger.Zero, await client.GetBalanceAsync(chain.Treasury, Hex.Quantity(deposit.BlockNumber - 1), None));

        var next = await client.WaitForReceiptAsync(await chain.Contracts.DepositEthAsync(chain.DevAccounts[2], 1, ChainDeployment.Reference("after"), None), None);
        Assert.Equal(head.Number + 1, next.BlockNumber);
        Assert.Equal(head.Hash, (await client.GetBlockAsync(next.BlockNumber, None))!.ParentHash);
    }

    [Fact]
    public async Task A_second_stop_and_start_keeps_what_was_added_in_between()
    {
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        await client.MineAsync(2, None);
        await node.StopAsync(None);
        await node.StartAsync(None);
        await client.MineAsync(3, None);
        var head = (await client.GetBlockAsync("latest", None))!;

        await node.StopAsync(None);
        await node.StopAsync(None);
        await node.StartAsync(None);

        Assert.Equal(5, head.Number);
        Assert.Equal(head, await client.GetBlockAsync("latest", None));
    }

    [Fact]
    public async Task Interval_mining_goes_on_after_a_restart_from_where_the_chain_stopped()
    {
        await using var node = await AnvilNode.StartAsync(new AnvilOptions { BlockTimeSeconds = 1 }, None);
        using var client = new AnvilClient(node.RpcUrl);
        await Eventually.TrueAsync(async () => await client.GetBlockNumberAsync(None) >= 2, "two blocks mined by the interval miner");

        await node.StopAsync(None);
        await node.StartAsync(None);
        var resumed = (await client.GetBlockAsync("latest", None))!;
        await Eventually.TrueAsync(async () => await client.GetBlockNumberAsync(None) > resumed.Number, "a block mined after the restart");

        Assert.True(resumed.Number >= 2);
        Assert.Equal(resumed.Hash, (await client.GetBlockAsync(resumed.Number + 1, None))!.ParentHash);
    }

    [Fact]
    public async Task Dispose_ends_the_node()
    {
        var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        Assert.Equal(AnvilOptions.DefaultChainId, await client.GetChainIdAsync(None));

        await node.DisposeAsync();

        Assert.False(node.IsRunning);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetChainIdAsync(None));
        Assert.False(Directory.Exists(Path.GetDirectoryName(node.StatePath)));
    }

    [Fact]
    public async Task A_missing_anvil_fails_saying_what_to_install()
    {
        using var empty = new TemporaryDirectory();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AnvilNode.StartAsync(new AnvilOptions { OraclesDirectory = empty.Path }, None));

        Assert.Contains("@foundry-rs/anvil", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
    }
}
