using System.Text.Json;

namespace Grid.Chain.Kit.Tests.Contracts;

[Collection(ChainCollection.Name)]
public sealed class DeploymentTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Deploys_the_token_the_deposit_contract_and_the_feed()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var contracts = chain.Contracts;

        foreach (var address in new[] { contracts.Token, contracts.Deposit, contracts.PriceFeed })
        {
            Assert.True((await chain.Client.GetCodeAsync(address, None)).Length > 2, $"no code at {address}");
        }

        Assert.Equal(3, new[] { contracts.Token, contracts.Deposit, contracts.PriceFeed }.Distinct().Count());
        Assert.Equal(TestChain.DefaultTreasury, contracts.Treasury);
        Assert.Equal(chain.DevAccounts[0], contracts.Deployer);
        Assert.Equal(contracts.Treasury, AbiCodec.ReadAddress(await chain.Client.CallAsync(contracts.Deposit, AbiCodec.EncodeCall("treasury()"), None), 0));
        Assert.Equal(ChainDeployment.TokenDecimals, (int)AbiCodec.ReadUint(await chain.Client.CallAsync(contracts.Token, AbiCodec.EncodeCall("decimals()"), None), 0));
        Assert.Equal(ChainDeployment.PriceDecimals, (int)AbiCodec.ReadUint(await chain.Client.CallAsync(contracts.PriceFeed, AbiCodec.EncodeCall("decimals()"), None), 0));
    }

    [Fact]
    public async Task The_deposit_contract_refuses_a_zero_treasury()
    {
        var artifacts = await fixture.GetArtifactsAsync();
        await using var node = await AnvilNode.StartAsync(null, None);
        using var client = new AnvilClient(node.RpcUrl);
        var deployer = (await client.GetDevAccountsAsync(None))[0];

        var hash = await client.SendTransactionAsync(
            new TransactionRequest(deployer, null, 0, artifacts[ContractArtifacts.GridDeposit].DeployData(AbiWord.Address(ChainDeployment.EthToken)), 3_000_000),
            None);

        var receipt = await client.WaitForReceiptAsync(hash, None);
        Assert.False(receipt.Succeeded);
    }

    [Fact]
    public async Task The_Deposited_event_has_the_documented_layout()
    {
        // deploy/contracts/README.md promises topic0 = keccak256("Deposited(address,address,uint256,bytes32)"),
        // topics 1..3 = payer, token, ref and data = amount; check that against what solc compiled.
        var artifacts = await fixture.GetArtifactsAsync();
        var deposited = artifacts[ContractArtifacts.GridDeposit].Abi.EnumerateArray()
            .Single(item => item.GetProperty("type").GetString() == "event" && item.GetProperty("name").GetString() == "Deposited");
        var inputs = deposited.GetProperty("inputs").EnumerateArray()
            .Select(input => (Name: input.GetProperty("name").GetString(), Type: input.GetProperty("type").GetString(), Indexed: input.GetProperty("indexed").GetBoolean()))
            .ToList();

        Assert.Equal([("payer", "address", true), ("token", "address", true), ("amount", "uint256", false), ("ref", "bytes32", true)], inputs);
        Assert.False(deposited.GetProperty("anonymous").GetBoolean());
        Assert.Equal("0x" + Convert.ToHexStringLower(Grid.Chain.Crypto.Keccak256.Hash("Deposited(address,address,uint256,bytes32)"u8)), EventTopics.Deposited);
        Assert.Equal(JsonValueKind.Array, artifacts[ContractArtifacts.TestUsd].Abi.ValueKind);
    }

    [Theory]
    [InlineData("deposit(bytes32)", "0xb214faa5")]
    [InlineData("depositToken(address,uint256,bytes32)", "0x84abac95")]
    [InlineData("treasury()", "0x61d027b3")]
    public void Selectors_are_the_ones_the_contract_readme_lists(string signature, string selector)
    {
        Assert.Equal(selector, Hex.Data(AbiCodec.Selector(signature)));
    }

    [Fact]
    public void Event_topics_are_the_published_ones()
    {
        Assert.Equal("0x1055e7df6c05c7671de02b516b795815b736cd021b7c38291b6e68d91da91a2c", EventTopics.Deposited);
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", EventTopics.Transfer);
        Assert.Equal("0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925", EventTopics.Approval);
    }
}
