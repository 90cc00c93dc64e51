using System.Globalization;
using System.Numerics;
using Grid.Chain.TestKit.Abi;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;
using Grid.TestKit;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// A deposit's key counts the grid's logs in its transaction, so listing another token while such a transaction is
/// followed gives its deposits other keys. After a reorg puts the transaction back, the scan would take one deposit
/// for another, and credit the ETH deposit again under the key that now names it. The watcher finds a followed key
/// naming another deposit, stops with an alert and changes nothing; configured back, it goes on with nothing twice.
/// </summary>
public sealed class TokenListChangeTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly BigInteger TokenUnits = 5_000_000; // 5 tokens: 500 credits
    private static readonly BigInteger Wei = BigInteger.Pow(10, 15); // 1,000 credits

    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    [Fact]
    public async Task A_token_listed_while_a_transaction_with_several_deposits_is_followed_stops_the_scan_and_credits_nothing_twice()
    {
        var client = fixture.Chain.Client;
        var artifacts = await fixture.GetArtifactsAsync();
        var deployer = fixture.Chain.Contracts.Deployer;
        var unlisted = await ChainDeployment.DeployContractAsync(client, artifacts[ContractArtifacts.TestUsd], deployer, [], Ct);
        var batch = await ChainDeployment.DeployContractAsync(client, artifacts["TestBatchPayer"], deployer, [], Ct);
        foreach (var token in new[] { fixture.Chain.Contracts.Token, unlisted })
        {
            await MinedAsync(await client.SendTransactionAsync(
                deployer, token, BigInteger.Zero, AbiCodec.EncodeCall("mint(address,uint256)", AbiWord.Address(batch), AbiWord.Uint(TokenUnits)), Ct));
        }

        // The unlisted token's transfer comes first: once it is listed, the deposits after it count one more.
        var tx = await client.SendTransactionAsync(
            new TransactionRequest(
                deployer,
                batch,
                Wei,
                AbiCodec.EncodeCall(
                    "pay(address,uint256,address,uint256,address,address,bytes32)",
                    AbiWord.Address(unlisted),
                    AbiWord.Uint(TokenUnits),
                    AbiWord.Address(fixture.Chain.Contracts.Token),
                    AbiWord.Uint(TokenUnits),
                    AbiWord.Address(fixture.Chain.Treasury),
                    AbiWord.Address(fixture.Chain.Contracts.Deposit),
                    AbiWord.Bytes32(ChainDeployment.Reference("three in one"))),
                500_000),
            Ct);
        var paid = await MinedAsync(tx);
        var raw = await client.GetRawTransactionAsync(tx, Ct);
        await client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([tx], 2);
        var account = ChainRecords.WalletAccount(batch);
        Assert.Equal(1_500, await CreditedAsync(account));

        // The other token listed, then a reorg that puts the transaction into a new block.
        await RestartAsync(new Dictionary<string, string>
        {
            ["Grid__Chains__0__Tokens__1__Symbol"] = "TUSD2",
            ["Grid__Chains__0__Tokens__1__Address"] = unlisted,
            ["Grid__Chains__0__Tokens__1__Decimals"] = "6",
            ["Grid__Chains__0__Tokens__1__CreditsPerToken"] = ChainSiloFixture.CreditsPerToken.ToString(CultureInfo.InvariantCulture),
        });
        var height = await client.GetBlockNumberAsync(Ct);
        await client.ReorgAsync((int)(height - paid.BlockNumber + 1), [ReorgInclusion.Signed(raw, 0)], Ct);
        Assert.NotEqual(paid.BlockHash, (await client.GetReceiptAsync(tx, Ct))!.BlockHash);
        await client.MineAsync(N, Ct);

        await Eventually.TrueAsync(
            () => Task.FromResult(fixture.Silo.Output.Any(l => l.Contains("ALERT chain", StringComparison.Ordinal) && l.Contains("is not the deposit followed under that key", StringComparison.Ordinal))),
            "the watcher stopping at the transaction with an alert",
            ChainApi.Patience);
        await client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1)); // more ticks: still stopped
        Assert.Equal(2, (await _records.CreditsOfAsync([tx])).Count);
        Assert.Equal(1_500, await CreditedAsync(account));

        // The previous list configured again: the scan goes on past the transaction, crediting nothing twice.
        await RestartAsync(new Dictionary<string, string>());
        var payer = fixture.Chain.DevAccounts[1];
        var later = await _payer.DepositEthAsync(payer, 7 * 1_000_000_000_000, ChainDeployment.Reference("after the stop"));
        await client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([later], 1);
        await client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(2, (await _records.CreditsOfAsync([tx])).Count);
        Assert.Equal(1_500, await CreditedAsync(account));
        Assert.DoesNotContain(await _records.EventsAsync(), e => e.Type != ChainRecords.Credited);
    }

    private async Task RestartAsync(IReadOnlyDictionary<string, string> overrides)
    {
        await fixture.Silo.DisposeAsync();
        fixture.StartSilo(overrides: overrides);
        await fixture.Silo.WaitReadyAsync();
    }

    private async Task<long> CreditedAsync(string accountId) =>
        (await _records.DepositsAsync(accountId)).Sum(e => e.GetProperty("amount").GetInt64());

    private async Task<TransactionReceipt> MinedAsync(string transaction)
    {
        var receipt = await fixture.Chain.Client.WaitForReceiptAsync(transaction, Ct);
        Assert.True(receipt.Succeeded, $"transaction {transaction} failed");
        return receipt;
    }
}
