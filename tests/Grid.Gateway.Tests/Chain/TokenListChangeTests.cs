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
/// for another (and credit the ETH deposit again under the key that now names it). A deposit found under a followed
/// key that it is not is set aside uncredited with an alert; the followed ones go as reorged-out deposits do.
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

        // The re-run transaction's first two deposits come under the keys of two others (TUSD2 under USDC's, USDC under
        // ETH's): both are set aside uncredited with an alert. The ETH deposit is new under its new key and credited; the
        // two followed deposits are gone from the chain and reversed, as reorged-out deposits are. Nothing is credited twice.
        await Eventually.TrueAsync(
            () => Task.FromResult(fixture.Silo.Output.Count(l => l.Contains("ALERT chain", StringComparison.Ordinal) && l.Contains("is not the deposit followed under that key", StringComparison.Ordinal)) >= 2),
            "both conflicting deposits set aside with an alert",
            ChainApi.Patience);
        await Eventually.TrueAsync(
            async () => (await _records.EventsAsync()).Count(e => e.Type == "deposit.reorged" && string.Equals(e.Transaction, tx, StringComparison.OrdinalIgnoreCase)) == 2,
            "the two followed deposits reversed",
            ChainApi.Patience);
        await _records.WaitForCreditsAsync([tx], 3);
        await client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1)); // more ticks: nothing more moves
        Assert.Equal(3, (await _records.CreditsOfAsync([tx])).Count);
        Assert.Equal(1_000, await CreditedAsync(account) - await ReversedAsync(account));
        Assert.Equal(1_000, await BalanceAsync(account));
        Assert.True(fixture.Silo.Output.Count(l => l.Contains("is not the deposit followed under that key", StringComparison.Ordinal)) >= 2);

        // The scan goes on: a later deposit is credited.
        var payer = fixture.Chain.DevAccounts[1];
        var later = await _payer.DepositEthAsync(payer, 7 * 1_000_000_000_000, ChainDeployment.Reference("after the conflict"));
        await client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([later], 1);
    }

    private async Task RestartAsync(IReadOnlyDictionary<string, string> overrides)
    {
        await fixture.Silo.DisposeAsync();
        fixture.StartSilo(overrides: overrides);
        await fixture.Silo.WaitReadyAsync();
    }

    private async Task<long> CreditedAsync(string accountId) =>
        (await _records.DepositsAsync(accountId)).Sum(e => e.GetProperty("amount").GetInt64());

    private async Task<long> ReversedAsync(string accountId) =>
        (await fixture.Api.JournalAsync(accountId)).Where(e => e.GetProperty("kind").GetString() == "reversal").Sum(e => e.GetProperty("amount").GetInt64());

    private async Task<long> BalanceAsync(string accountId)
    {
        var account = await fixture.Api.GetAsync($"/v1/accounts/{accountId}");
        Assert.True(account.IsSuccess, account.ToString());
        return account.Json.GetProperty("balance").GetProperty("available").GetInt64();
    }

    private async Task<TransactionReceipt> MinedAsync(string transaction)
    {
        var receipt = await fixture.Chain.Client.WaitForReceiptAsync(transaction, Ct);
        Assert.True(receipt.Succeeded, $"transaction {transaction} failed");
        return receipt;
    }
}
