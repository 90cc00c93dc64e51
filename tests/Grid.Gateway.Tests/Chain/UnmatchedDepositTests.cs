using System.Net;
using System.Numerics;
using System.Text.Json;
using Grid.Chain.TestKit.Abi;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Contract deposits no intent can take: a ref that names no intent, an intent paid by another wallet, a second
/// payment of an intent already paid, and a token the chain does not list. Each lands where the payer's wallet
/// says (its own guest account, or the account its intent named) and is credited once, or, for an unlisted token,
/// never; an intent is never credited for what it did not take.
/// </summary>
public sealed class UnmatchedDepositTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;

    /// <summary>The fixture's ETH rate is 10^6 credits an ETH.</summary>
    private const long WeiPerCredit = 1_000_000_000_000;

    private readonly ChainApi _chain = new(fixture.Api);
    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_ref_that_names_no_intent_credits_the_payers_own_guest_account_and_gives_no_guest_token()
    {
        var payer = fixture.Chain.DevAccounts[1];
        var unknownIntent = "pay_" + new string('a', 26); // a payment id in form, but no intent's
        var typed = await _payer.DepositEthAsync(payer, 40 * WeiPerCredit, ChainDeployment.Reference("invoice 17"));
        var named = await _payer.DepositEthAsync(payer, 60 * WeiPerCredit, ChainRecords.ReferenceTo(unknownIntent));
        await fixture.Chain.Client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([typed, named], 2);

        var account = ChainRecords.WalletAccount(payer);
        Assert.Equal(
            new[] { (typed, 40L), (named, 60L) }.Order(),
            (await _records.DepositsAsync(account)).Select(e => (e.GetProperty("reference").GetString()!, e.GetProperty("amount").GetInt64())).Order());
        foreach (var (tx, credits) in new[] { (typed, 40L), (named, 60L) })
        {
            var payment = await _chain.PaymentAsync(ChainRecords.DepositPaymentId(tx));
            Assert.Equal(("deposit", "credited", account, credits), (payment.GetProperty("kind").GetString(), payment.GetProperty("status").GetString(), payment.GetProperty("accountId").GetString(), payment.GetProperty("credited").GetInt64()));
            Assert.Equal(JsonValueKind.Null, payment.GetProperty("guestToken").ValueKind); // whoever knows a tx hash knows this id
        }

        // The id the ref named was only passed through: no payment was made up under it.
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api.GetAsync($"/v1/payments/{unknownIntent}", key: null)).Status);
        Assert.All(await _records.CreditsOfAsync([typed, named]), r => Assert.Equal(ChainRecords.DepositPaymentId(r.Transaction), r.PaymentId));
    }

    [Fact]
    public async Task An_intent_paid_by_another_wallet_stays_pending_and_the_payers_own_account_is_credited()
    {
        var wallet = fixture.Chain.DevAccounts[2];
        var other = fixture.Chain.DevAccounts[3];
        var intent = await _chain.IntentAsync(wallet, "ETH", 300);
        var paymentId = intent.GetProperty("paymentId").GetString()!;

        var tx = await _payer.PayIntentAsync(other, intent);
        await fixture.Chain.Client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([tx], 1);

        var row = Assert.Single(await _records.CreditsOfAsync([tx]));
        Assert.Equal(ChainRecords.DepositPaymentId(tx), row.PaymentId);
        var entry = Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(other)));
        Assert.Equal((tx, 300L), (entry.GetProperty("reference").GetString(), entry.GetProperty("amount").GetInt64()));
        Assert.Empty(await _records.DepositsAsync(ChainRecords.WalletAccount(wallet)));

        var pending = await _chain.PaymentAsync(paymentId);
        Assert.Equal(("pending", 0L, 0), (pending.GetProperty("status").GetString(), pending.GetProperty("credited").GetInt64(), pending.GetProperty("confirmations").GetInt32()));
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("transactionHash").ValueKind);
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("guestToken").ValueKind);

        // The intent's own wallet can still pay it.
        var own = await _payer.PayIntentAsync(wallet, intent);
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        var credited = await _chain.WaitForAsync(paymentId, "credited");
        Assert.Equal((own, 300L), (credited.GetProperty("transactionHash").GetString(), credited.GetProperty("credited").GetInt64()));
        Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(other)));
    }

    [Fact]
    public async Task Paying_an_intent_twice_from_its_wallet_credits_the_account_it_named_once_for_each_payment()
    {
        var wallet = fixture.Chain.DevAccounts[4];
        var accountId = await fixture.Api.CreateAccountAsync();
        var issued = await fixture.Api.PostAsync("/v1/keys", new { accountId, scopes = new[] { "read" } });
        Assert.True(issued.IsSuccess, issued.ToString());
        var intent = await _chain.IntentAsync(wallet, "ETH", 250, accountId, issued.Json.GetProperty("key").GetString());
        var paymentId = intent.GetProperty("paymentId").GetString()!;

        var first = await _payer.PayIntentAsync(wallet, intent);
        var second = await _payer.PayIntentAsync(wallet, intent);
        await fixture.Chain.Client.MineAsync(N, Ct);
        await _records.WaitForCreditsAsync([first, second], 2);
        await fixture.Chain.Client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1)); // more polls: still one credit each

        Assert.Equal(
            [(first, 250L), (second, 250L)],
            (await _records.DepositsAsync(accountId)).Select(e => (e.GetProperty("reference").GetString()!, e.GetProperty("amount").GetInt64())).OrderBy(e => e.Item1 == first ? 0 : 1));
        Assert.Empty(await _records.DepositsAsync(ChainRecords.WalletAccount(wallet)));

        var paid = await _chain.PaymentAsync(paymentId);
        Assert.Equal(("credited", 250L, first), (paid.GetProperty("status").GetString(), paid.GetProperty("credited").GetInt64(), paid.GetProperty("transactionHash").GetString()));
        var again = await _chain.PaymentAsync(ChainRecords.DepositPaymentId(second));
        Assert.Equal(("credited", 250L, accountId), (again.GetProperty("status").GetString(), again.GetProperty("credited").GetInt64(), again.GetProperty("accountId").GetString()));
        Assert.Equal(JsonValueKind.Null, again.GetProperty("guestToken").ValueKind);
        Assert.Equal(
            [(first, paymentId), (second, ChainRecords.DepositPaymentId(second))],
            (await _records.CreditsOfAsync([first, second])).Select(r => (r.Transaction, r.PaymentId)).OrderBy(r => r.Transaction == first ? 0 : 1));
    }

    [Fact]
    public async Task A_contract_deposit_of_a_token_the_chain_does_not_list_is_never_credited()
    {
        var wallet = fixture.Chain.DevAccounts[5];
        var contracts = fixture.Chain.Contracts;
        var unlisted = await ChainDeployment.DeployContractAsync(
            fixture.Chain.Client, (await fixture.GetArtifactsAsync())[ContractArtifacts.TestUsd], contracts.Deployer, [], Ct);
        await MinedAsync(await fixture.Chain.Client.SendTransactionAsync(
            new TransactionRequest(contracts.Deployer, unlisted, BigInteger.Zero, AbiCodec.EncodeCall("mint(address,uint256)", AbiWord.Address(wallet), AbiWord.Uint(50_000_000)), 300_000),
            Ct));
        await MinedAsync(await contracts.MintAsync(wallet, 50_000_000, Ct));

        var intent = await _chain.IntentAsync(wallet, "USDC", 100);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var tokenAmount = ChainApi.Units(intent, "tokenAmount");
        var toIntent = await _payer.DepositTokenAsync(unlisted, wallet, tokenAmount, ChainRecords.ReferenceTo(paymentId));
        var toNobody = await _payer.DepositTokenAsync(unlisted, wallet, 3_000_000, ChainDeployment.Reference("unlisted token"));
        await fixture.Chain.Client.MineAsync(N, Ct);

        // The same intent paid in the listed token afterwards is credited: the watcher was past both by then.
        var paid = await _payer.DepositTokenAsync(contracts.Token, wallet, tokenAmount, ChainRecords.ReferenceTo(paymentId));
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        var credited = await _chain.WaitForAsync(paymentId, "credited");
        Assert.Equal((paid, 100L), (credited.GetProperty("transactionHash").GetString(), credited.GetProperty("credited").GetInt64()));

        var entry = Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(wallet)));
        Assert.Equal(paid, entry.GetProperty("reference").GetString());
        Assert.Empty(await _records.CreditsOfAsync([toIntent, toNobody]));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api.GetAsync($"/v1/payments/{ChainRecords.DepositPaymentId(toNobody)}", key: null)).Status);
    }

    private async Task MinedAsync(string hash) =>
        Assert.True((await fixture.Chain.Client.WaitForReceiptAsync(hash, Ct)).Succeeded, $"transaction {hash} reverted");
}
