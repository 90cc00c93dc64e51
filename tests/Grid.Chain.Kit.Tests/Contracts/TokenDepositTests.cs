using System.Numerics;

namespace Grid.Chain.Kit.Tests.Contracts;

[Collection(ChainCollection.Name)]
public sealed class TokenDepositTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_token_deposit_moves_payer_to_contract_to_treasury_and_emits_Deposited()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var contracts = chain.Contracts;
        var payer = chain.DevAccounts[1];
        var reference = ChainDeployment.Reference("payment-2");
        await chain.Client.WaitForReceiptAsync(await contracts.MintAsync(payer, 50_000_000, None), None);

        var hash = await contracts.DepositTokenAsync(payer, 12_500_000, reference, None);
        var receipt = await chain.Client.WaitForReceiptAsync(hash, None);

        Assert.True(receipt.Succeeded);
        Assert.Collection(
            receipt.Logs,
            pull =>
            {
                Assert.Equal(contracts.Token, pull.Address);
                Assert.Equal([EventTopics.Transfer, Topics.Of(payer), Topics.Of(contracts.Deposit)], pull.Topics);
                Assert.Equal(new BigInteger(12_500_000), AbiCodec.ReadUint(pull.Data, 0));
            },
            forward =>
            {
                Assert.Equal(contracts.Token, forward.Address);
                Assert.Equal([EventTopics.Transfer, Topics.Of(contracts.Deposit), Topics.Of(contracts.Treasury)], forward.Topics);
                Assert.Equal(new BigInteger(12_500_000), AbiCodec.ReadUint(forward.Data, 0));
            },
            deposited =>
            {
                Assert.Equal(contracts.Deposit, deposited.Address);
                Assert.Equal([EventTopics.Deposited, Topics.Of(payer), Topics.Of(contracts.Token), Topics.Of(reference)], deposited.Topics);
                Assert.Equal(new BigInteger(12_500_000), AbiCodec.ReadUint(deposited.Data, 0));
            });
        Assert.Equal(new BigInteger(37_500_000), await contracts.GetTokenBalanceAsync(payer, None));
        Assert.Equal(new BigInteger(12_500_000), await contracts.GetTokenBalanceAsync(contracts.Treasury, None));
        Assert.Equal(BigInteger.Zero, await contracts.GetTokenBalanceAsync(contracts.Deposit, None));
    }

    [Fact]
    public async Task A_plain_transfer_to_the_treasury_emits_only_Transfer()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var contracts = chain.Contracts;
        var payer = chain.DevAccounts[3];
        await chain.Client.WaitForReceiptAsync(await contracts.MintAsync(payer, 5_000_000, None), None);

        var receipt = await chain.Client.WaitForReceiptAsync(await contracts.TransferTokenAsync(payer, contracts.Treasury, 4_000_000, None), None);

        Assert.True(receipt.Succeeded);
        var transfer = Assert.Single(receipt.Logs);
        Assert.Equal(contracts.Token, transfer.Address);
        Assert.Equal([EventTopics.Transfer, Topics.Of(payer), Topics.Of(contracts.Treasury)], transfer.Topics);
        Assert.Equal(new BigInteger(4_000_000), AbiCodec.ReadUint(transfer.Data, 0));
        Assert.Empty(await chain.Client.GetLogsAsync(0, receipt.BlockNumber, contracts.Deposit, null, None));
        Assert.Equal(new BigInteger(4_000_000), await contracts.GetTokenBalanceAsync(contracts.Treasury, None));
    }

    [Fact]
    public async Task A_token_deposit_without_allowance_or_of_nothing_is_refused()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var contracts = chain.Contracts;
        var payer = chain.DevAccounts[1];
        await chain.Client.WaitForReceiptAsync(await contracts.MintAsync(payer, 5_000_000, None), None);
        var withoutApprove = AbiCodec.EncodeCall(
            "depositToken(address,uint256,bytes32)", AbiWord.Address(contracts.Token), AbiWord.Uint(1_000_000), AbiWord.Bytes32(ChainDeployment.Reference("x")));

        var unapproved = await chain.Client.SendTransactionAsync(new TransactionRequest(payer, contracts.Deposit, 0, withoutApprove, 300_000), None);
        var nothing = await contracts.DepositTokenAsync(payer, 0, ChainDeployment.Reference("y"), None);

        Assert.False((await chain.Client.WaitForReceiptAsync(unapproved, None)).Succeeded);
        Assert.False((await chain.Client.WaitForReceiptAsync(nothing, None)).Succeeded);
        Assert.Equal(new BigInteger(5_000_000), await contracts.GetTokenBalanceAsync(payer, None));
    }

    [Fact]
    public async Task Tokens_that_return_nothing_are_accepted_and_tokens_that_return_false_or_have_no_code_are_refused()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var contracts = chain.Contracts;
        var client = chain.Client;
        var payer = chain.DevAccounts[4];
        var quirky = await ChainDeployment.DeployContractAsync(client, (await fixture.GetArtifactsAsync())[ContractArtifacts.TestQuirkyToken], contracts.Deployer, [], None);
        await client.WaitForReceiptAsync(await client.SendTransactionAsync(contracts.Deployer, quirky, 0, AbiCodec.EncodeCall("mint(address,uint256)", AbiWord.Address(payer), AbiWord.Uint(9_000_000)), None), None);

        async Task<TransactionReceipt> DepositInModeAsync(int mode, string text)
        {
            await client.WaitForReceiptAsync(await client.SendTransactionAsync(contracts.Deployer, quirky, 0, AbiCodec.EncodeCall("setMode(uint8)", AbiWord.Uint(mode)), None), None);
            return await client.WaitForReceiptAsync(await contracts.DepositTokenOfAsync(quirky, payer, 1_000_000, ChainDeployment.Reference(text), None), None);
        }

        var standard = await DepositInModeAsync(0, "standard");
        var noReturn = await DepositInModeAsync(1, "no-return");
        var returnsFalse = await DepositInModeAsync(2, "returns-false");
        var noCode = await client.WaitForReceiptAsync(await contracts.DepositTokenOfAsync(chain.DevAccounts[5], payer, 1_000_000, ChainDeployment.Reference("eoa"), None), None);

        Assert.True(standard.Succeeded);
        Assert.True(noReturn.Succeeded);
        Assert.Equal(EventTopics.Deposited, noReturn.Logs[^1].Topics[0]);
        Assert.False(returnsFalse.Succeeded);
        Assert.False(noCode.Succeeded);
        var treasuryBalance = AbiCodec.ReadUint(await client.CallAsync(quirky, AbiCodec.EncodeCall("balanceOf(address)", AbiWord.Address(contracts.Treasury)), None), 0);
        Assert.Equal(new BigInteger(2_000_000), treasuryBalance);
    }
}
