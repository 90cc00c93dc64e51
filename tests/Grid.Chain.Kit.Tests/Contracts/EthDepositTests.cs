using System.Numerics;

namespace Grid.Chain.Kit.Tests.Contracts;

[Collection(ChainCollection.Name)]
public sealed class EthDepositTests(ChainFixture fixture)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_deposit_pays_the_treasury_and_emits_Deposited_with_payer_token_ref_and_amount()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var payer = chain.DevAccounts[1];
        var reference = ChainDeployment.Reference("payment-1");
        var wei = BigInteger.Parse("1234567890123456789", System.Globalization.CultureInfo.InvariantCulture);
        var treasuryBefore = await chain.Client.GetBalanceAsync(chain.Treasury, None);

        var hash = await chain.Contracts.DepositEthAsync(payer, wei, reference, None);
        var receipt = await chain.Client.WaitForReceiptAsync(hash, None);

        Assert.True(receipt.Succeeded);
        var log = Assert.Single(receipt.Logs);
        Assert.Equal(chain.Contracts.Deposit, log.Address);
        Assert.Equal([EventTopics.Deposited, Topics.Of(payer), Topics.Of(ChainDeployment.EthToken), Topics.Of(reference)], log.Topics);
        Assert.Equal(AbiWord.Uint(wei).ToHex(), log.Data);
        Assert.Equal(wei, AbiCodec.ReadUint(log.Data, 0));
        Assert.Equal(treasuryBefore + wei, await chain.Client.GetBalanceAsync(chain.Treasury, None));
        Assert.Equal(BigInteger.Zero, await chain.Client.GetBalanceAsync(chain.Contracts.Deposit, None));

        var found = await chain.Client.GetLogsAsync(receipt.BlockNumber, receipt.BlockNumber, chain.Contracts.Deposit, EventTopics.Deposited, None);
        Assert.Equal(log, Assert.Single(found));
    }

    [Fact]
    public async Task A_deposit_of_nothing_is_refused()
    {
        await using var chain = await fixture.StartChainAsync(null, None);

        var hash = await chain.Contracts.DepositEthAsync(chain.DevAccounts[1], 0, ChainDeployment.Reference("zero"), None);

        var receipt = await chain.Client.WaitForReceiptAsync(hash, None);
        Assert.False(receipt.Succeeded);
        Assert.Empty(receipt.Logs);
    }

    [Fact]
    public async Task Ether_sent_without_a_reference_goes_back_to_the_sender()
    {
        await using var chain = await fixture.StartChainAsync(null, None);
        var payer = chain.DevAccounts[2];
        var treasuryBefore = await chain.Client.GetBalanceAsync(chain.Treasury, None);

        var plain = await chain.Client.SendTransactionAsync(new TransactionRequest(payer, chain.Contracts.Deposit, 1_000_000, null, 100_000), None);
        var unknownFunction = await chain.Client.SendTransactionAsync(new TransactionRequest(payer, chain.Contracts.Deposit, 1_000_000, "0xdeadbeef", 100_000), None);

        Assert.False((await chain.Client.WaitForReceiptAsync(plain, None)).Succeeded);
        Assert.False((await chain.Client.WaitForReceiptAsync(unknownFunction, None)).Succeeded);
        Assert.Equal(BigInteger.Zero, await chain.Client.GetBalanceAsync(chain.Contracts.Deposit, None));
        Assert.Equal(treasuryBefore, await chain.Client.GetBalanceAsync(chain.Treasury, None));
    }
}
