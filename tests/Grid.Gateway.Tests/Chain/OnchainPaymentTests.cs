using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using Grid.Chain.TestKit.Contracts;
using Grid.Chain.TestKit.Rpc;
using Grid.Gateway.Tests.Sessions;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Paying on a real Anvil chain through the grid's deposit contract and by plain token transfer: HTTP in, the
/// watcher's scan, the journal and processed_events out. Credits come after exactly the configured confirmations,
/// once, and follow reorgs.
/// </summary>
public sealed class OnchainPaymentTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;
    private readonly ChainApi _chain = new(fixture.Api);
    private readonly ChainRecords _records = new(fixture);
    private CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task A_dust_deposit_credits_nothing_opens_no_guest_account_and_calls_no_person()
    {
        // Anyone can send the treasury thousands of deposits worth less than a credit for next to nothing: each is recorded
        // on its payment, credited with nothing, with no guest account opened and no error line for a person.
        var wallet = "0x" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
        await fixture.Chain.Client.RequestAsync("anvil_setBalance", [wallet, Hex.Quantity(BigInteger.Pow(10, 20))], Ct);
        await fixture.Chain.Client.RequestAsync("anvil_impersonateAccount", [wallet], Ct);
        string tx;
        try
        {
            tx = await new ChainPayer(fixture.Chain).DepositEthAsync(wallet, 1, ChainDeployment.Reference($"dust-{Guid.NewGuid():N}"));
        }
        finally
        {
            // Left on, it would make every later transaction unsigned, which a reorg test's re-inclusion cannot take.
            await fixture.Chain.Client.RequestAsync("anvil_stopImpersonatingAccount", [wallet], Ct);
        }

        await fixture.Chain.Client.MineAsync(N, Ct);
        await Eventually.TrueAsync(
            () => fixture.Silo.Output.Any(l => l.Contains("worth less than one credit", StringComparison.Ordinal) && l.Contains(" WRN]", StringComparison.Ordinal)),
            "the dust deposit settled", ChainApi.Patience);

        Assert.DoesNotContain(fixture.Silo.Output, l => l.Contains("worth less than one credit", StringComparison.Ordinal) && l.Contains(" ERR]", StringComparison.Ordinal));
        Assert.Empty(await _records.CreditsOfAsync([tx]));
        var guest = (await fixture.Api.GetAsync($"/v1/wallets/{wallet}")).Json.GetProperty("guestAccountId").GetString()!;
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api.GetAsync($"/v1/accounts/{guest}")).Status);
    }

    [Fact]
    public async Task An_ETH_intent_is_credited_once_after_exactly_the_configured_confirmations_and_its_guest_token_opens_the_account()
    {
        var payer = await FreshPayerAsync(1);
        var intent = await _chain.IntentAsync(payer, "ETH", 500);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var claim = intent.GetProperty("claim").GetString()!;
        Assert.Equal(fixture.Chain.Contracts.Deposit, intent.GetProperty("to").GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(500 * BigInteger.Pow(10, 12), ChainApi.Units(intent, "value")); // 10^6 credits an ETH
        Assert.Equal("pending", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString());

        var tx = await SendAsync(payer, intent);
        for (var confirmations = 1; confirmations < N; confirmations++)
        {
            var seen = await _chain.WaitForAsync(paymentId, "confirming", confirmations, claim, key: null); // no token before the credit
            Assert.Equal(0, seen.GetProperty("credited").GetInt64());
            Assert.Equal(N, seen.GetProperty("required").GetInt32());
            Assert.Equal(JsonValueKind.Null, seen.GetProperty("guestToken").ValueKind);
            Assert.Empty(await DepositsAsync(WalletAccount(payer)));
            await fixture.Chain.Client.MineAsync(1, Ct);
        }

        var credited = await _chain.WaitForAsync(paymentId, "credited");
        var accountId = credited.GetProperty("accountId").GetString()!;
        Assert.Equal(WalletAccount(payer), accountId);
        Assert.Equal(500, credited.GetProperty("credited").GetInt64());
        Assert.Equal(tx, credited.GetProperty("transactionHash").GetString());

        // Later blocks and polls change nothing: one entry, one processed event.
        await fixture.Chain.Client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var entries = await DepositsAsync(accountId);
        var entry = Assert.Single(entries);
        Assert.Equal(500, entry.GetProperty("amount").GetInt64());
        Assert.Equal($"chain:{paymentId}:credit:1", entry.GetProperty("operationId").GetString());
        Assert.Equal(1, await ProcessedEventsAsync(paymentId));

        // The payment id is public (the deposit's ref on chain): alone it shows the status, never a token nor whose it is.
        Assert.Equal(JsonValueKind.Null, credited.GetProperty("guestToken").ValueKind); // the admin key without the claim: no token either
        var anonymous = await _chain.PaymentAsync(paymentId, key: null);
        Assert.Equal(("credited", 500L), (anonymous.GetProperty("status").GetString(), anonymous.GetProperty("credited").GetInt64()));
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("accountId").ValueKind);
        Assert.Equal(JsonValueKind.Null, anonymous.GetProperty("guestToken").ValueKind);
        var otherClaim = (await _chain.IntentAsync(payer, "ETH", 500)).GetProperty("claim").GetString()!;
        foreach (var wrong in new[] { otherClaim, claim[..^2], "pc_" + new string('A', 43), paymentId })
        {
            var refused = await _chain.PaymentResponseAsync(paymentId, wrong, key: null);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Status);
            Assert.Equal("forbidden", refused.Json.GetProperty("code").GetString());
        }

        var claimed = await _chain.PaymentAsync(paymentId, claim, key: null);
        Assert.Equal(accountId, claimed.GetProperty("accountId").GetString()); // the claim shows the wallet's own guest account
        var guestToken = claimed.GetProperty("guestToken").GetString()!;
        var account = await fixture.Api.GetAsync($"/v1/accounts/{accountId}", key: guestToken);
        Assert.True(account.IsSuccess, account.ToString());
        Assert.Equal(500, account.Json.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.True(account.Json.GetProperty("guest").GetBoolean());

        // The operator revokes the guest's tokens: the old one stops, and the claim mints no new one past the revocation.
        var revoked = await fixture.Api.SendAsync(System.Net.Http.HttpMethod.Delete, $"/v1/accounts/{accountId}/tokens");
        Assert.True(revoked.IsSuccess, revoked.ToString());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await fixture.Api.GetAsync($"/v1/accounts/{accountId}", key: guestToken)).Status);
        var afterRevocation = await _chain.PaymentAsync(paymentId, claim, key: null);
        Assert.Equal(accountId, afterRevocation.GetProperty("accountId").GetString());
        Assert.Equal(JsonValueKind.Null, afterRevocation.GetProperty("guestToken").ValueKind);
    }

    [Fact]
    public async Task A_token_intent_for_a_named_account_credits_that_account_through_the_deposit_contract()
    {
        var payer = await FreshPayerAsync(2);
        var accountId = await fixture.Api.CreateAccountAsync();
        var key = await ReadKeyAsync(accountId);
        await fixture.Chain.Contracts.MintAsync(payer, 10_000_000, Ct);

        var treasuryBefore = await fixture.Chain.Contracts.GetTokenBalanceAsync(fixture.Chain.Treasury, Ct);
        var intent = await _chain.IntentAsync(payer, "USDC", 250, accountId, key);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        Assert.Equal(JsonValueKind.Null, intent.GetProperty("claim").ValueKind); // a named account never ends in a guest token
        Assert.Equal(2_500_000, ChainApi.Units(intent, "tokenAmount")); // 100 credits a token of 10^6 units
        Assert.Equal("0", intent.GetProperty("value").GetString());
        var approve = intent.GetProperty("approve");
        await fixture.Chain.Client.WaitForReceiptAsync(
            await fixture.Chain.Client.SendTransactionAsync(payer, approve.GetProperty("to").GetString(), 0, approve.GetProperty("data").GetString(), Ct), Ct);
        await SendAsync(payer, intent);

        await _chain.WaitForAsync(paymentId, "confirming", 1);
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        var credited = await _chain.WaitForAsync(paymentId, "credited");
        Assert.Equal(accountId, credited.GetProperty("accountId").GetString());
        Assert.Equal(JsonValueKind.Null, credited.GetProperty("guestToken").ValueKind); // never a token for a full account
        var entry = Assert.Single(await DepositsAsync(accountId));
        Assert.Equal(250, entry.GetProperty("amount").GetInt64());
        Assert.Equal(treasuryBefore + 2_500_000, await fixture.Chain.Contracts.GetTokenBalanceAsync(fixture.Chain.Treasury, Ct));
    }

    [Fact]
    public async Task A_plain_token_transfer_from_a_linked_wallet_credits_the_linked_account_and_nothing_else()
    {
        var (payer, privateKey) = await FreshKeyedPayerAsync(3);
        var accountId = await fixture.Api.CreateAccountAsync();
        var link = await LinkAsync(accountId, privateKey);
        Assert.True(link.IsSuccess, link.ToString());
        Assert.Equal(accountId, link.Json.GetProperty("accountId").GetString());
        await fixture.Chain.Contracts.MintAsync(payer, 5_000_000, Ct);

        var tx = await fixture.Chain.Contracts.TransferTokenAsync(payer, fixture.Chain.Treasury, 1_230_000, Ct); // 123 credits
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        var entry = await WaitForSingleDepositAsync(accountId);
        Assert.Equal(123, entry.GetProperty("amount").GetInt64());
        Assert.Equal(tx, entry.GetProperty("reference").GetString());
        Assert.Empty(await DepositsAsync(WalletAccount(payer)));

        // A transfer to anyone else is no payment.
        await fixture.Chain.Contracts.TransferTokenAsync(payer, fixture.Chain.DevAccounts[9], 1_000_000, Ct);
        await fixture.Chain.Client.MineAsync(N + 1, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Single(await DepositsAsync(accountId));

        // Unlinked (the address in any case), the wallet's next transfer credits its own guest account, not this one.
        var wrongAccount = await fixture.Api.CreateAccountAsync();
        Assert.Equal("not_found", (await fixture.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{wrongAccount}/wallets/{payer}")).Code);
        await AssertFieldAsync(await fixture.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{accountId}/wallets/0x1234"), "address");
        var unlinked = await fixture.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{accountId}/wallets/{payer.ToLowerInvariant()}");
        Assert.True(unlinked.IsSuccess, unlinked.ToString());
        Assert.Equal(JsonValueKind.Null, unlinked.Json.GetProperty("accountId").ValueKind);
        Assert.Equal("not_found", (await fixture.Api.SendAsync(HttpMethod.Delete, $"/v1/accounts/{accountId}/wallets/{payer}")).Code);

        await fixture.Chain.Contracts.TransferTokenAsync(payer, fixture.Chain.Treasury, 450_000, Ct); // 45 credits
        await fixture.Chain.Client.MineAsync(N, Ct);
        var guestEntry = await WaitForSingleDepositAsync(WalletAccount(payer));
        Assert.Equal(45, guestEntry.GetProperty("amount").GetInt64());
        Assert.Single(await DepositsAsync(accountId));
    }

    [Fact]
    public async Task A_reorg_before_the_confirmations_that_drops_the_payment_means_it_is_never_credited()
    {
        var payer = await FreshPayerAsync(4);
        var intent = await _chain.IntentAsync(payer, "ETH", 300);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var tx = await SendAsync(payer, intent);
        await fixture.Chain.Client.MineAsync(N - 2, Ct);
        await _chain.WaitForAsync(paymentId, "confirming", N - 1);

        await fixture.Chain.Client.ReorgAsync(N, Ct); // the blocks from the deposit's on are replaced by empty ones
        Assert.Null(await fixture.Chain.Client.GetReceiptAsync(tx, Ct));
        await _chain.WaitForAsync(paymentId, "pending", 0);
        await fixture.Chain.Client.MineAsync(2 * N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var payment = await _chain.PaymentAsync(paymentId);
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal(0, payment.GetProperty("credited").GetInt64());
        Assert.Empty(await DepositsAsync(WalletAccount(payer)));
        Assert.Equal(0, await ProcessedEventsAsync(paymentId));
    }

    [Fact]
    public async Task A_reorg_that_puts_the_payment_into_another_block_credits_it_once()
    {
        var payer = await FreshPayerAsync(5);
        var intent = await _chain.IntentAsync(payer, "ETH", 700);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var tx = await SendAsync(payer, intent);
        var raw = await fixture.Chain.Client.GetRawTransactionAsync(tx, Ct);
        var before = (await fixture.Chain.Client.GetReceiptAsync(tx, Ct))!;
        await fixture.Chain.Client.MineAsync(N - 2, Ct);
        await _chain.WaitForAsync(paymentId, "confirming", N - 1);

        await fixture.Chain.Client.ReorgAsync(N - 1, [ReorgInclusion.Signed(raw, N - 2)], Ct);
        var after = (await fixture.Chain.Client.GetReceiptAsync(tx, Ct))!;
        Assert.NotEqual(before.BlockHash, after.BlockHash);
        Assert.Equal(before.BlockNumber + N - 2, after.BlockNumber);
        await fixture.Chain.Client.MineAsync(N, Ct);

        var credited = await _chain.WaitForAsync(paymentId, "credited");
        Assert.Equal(700, credited.GetProperty("credited").GetInt64());
        await fixture.Chain.Client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(700, Assert.Single(await DepositsAsync(WalletAccount(payer))).GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_reorg_deeper_than_the_confirmations_after_the_credit_reverses_it()
    {
        var payer = await FreshPayerAsync(6);
        var intent = await _chain.IntentAsync(payer, "ETH", 900);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var tx = await SendAsync(payer, intent);
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        await _chain.WaitForAsync(paymentId, "credited");
        // The guest spends some of it: the reversal takes it into debt, which stops its spending, and leaves nothing spendable.
        (await fixture.Api.PostAsync($"/v1/accounts/{WalletAccount(payer)}/debits", new { operationId = "spent-before-reorg", amount = 100 })).Expect(HttpStatusCode.OK);

        await fixture.Chain.Client.ReorgAsync(N + 1, Ct);
        Assert.Null(await fixture.Chain.Client.GetReceiptAsync(tx, Ct));
        var reversed = await _chain.WaitForAsync(paymentId, "reversed");
        Assert.Equal(900, reversed.GetProperty("reversed").GetInt64());
        Assert.Equal(0, reversed.GetProperty("credited").GetInt64());

        var journal = (await fixture.Api.JournalAsync(WalletAccount(payer))).Where(e => e.GetProperty("kind").GetString() != "open").ToList();
        Assert.Equal(["deposit", "debit", "reversal"], journal.Select(e => e.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal($"chain:{paymentId}:reversal:1", journal[2].GetProperty("operationId").GetString());
        Assert.Equal(-100, journal[2].GetProperty("available").GetInt64());
        Assert.Equal(2, await ProcessedEventsAsync(paymentId));
    }

    [Fact]
    public async Task A_credit_reorged_out_of_an_account_closed_since_is_kept_for_review_not_asked_back_for_ever()
    {
        var payer = await FreshPayerAsync(6);
        var accountId = await fixture.Api.CreateAccountAsync();
        var intent = await _chain.IntentAsync(payer, "ETH", 800, accountId, await ReadKeyAsync(accountId));
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        await SendAsync(payer, intent);
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        await _chain.WaitForAsync(paymentId, "credited");

        // Spent and closed; then a reorg deeper than the confirmations takes the deposit away.
        (await fixture.Api.PostAsync($"/v1/accounts/{accountId}/debits", new { operationId = "spend-all", amount = 800 })).Expect(HttpStatusCode.OK);
        (await fixture.Api.PostAsync($"/v1/accounts/{accountId}/close", new { operationId = "close" })).Expect(HttpStatusCode.OK);
        await fixture.Chain.Client.ReorgAsync(N + 1, Ct);

        // The closed account refuses the reversal for good: the payment says so, and nothing is taken from anyone.
        var review = await _chain.WaitForAsync(paymentId, "review");
        Assert.Equal(800, review.GetProperty("credited").GetInt64());
        var kinds = (await fixture.Api.JournalAsync(accountId)).Select(e => e.GetProperty("kind").GetString()!).ToArray();
        Assert.Equal(["open", "deposit", "debit", "close"], kinds);
    }

    [Fact]
    public async Task A_transaction_hint_is_never_proof_it_only_makes_the_watcher_look()
    {
        var payer = await FreshPayerAsync(7);
        var intent = await _chain.IntentAsync(payer, "ETH", 100);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var watcherLooks = await WatcherLooksAsync();

        // A hash the node has no receipt of, and a plain transfer to someone else: read in the request, and the watcher,
        // which scans for everyone, never spends a turn on them.
        var elsewhere = await fixture.Chain.Client.SendTransactionAsync(payer, fixture.Chain.DevAccounts[0], 12_345, null, Ct);
        await fixture.Chain.Client.WaitForReceiptAsync(elsewhere, Ct);
        foreach (var junk in new[] { "0x" + new string('a', 64), elsewhere })
        {
            var ignored = await fixture.Api.PostAsync($"/v1/payments/{paymentId}/tx", new { txHash = junk });
            Assert.Equal(HttpStatusCode.Accepted, ignored.Status);
            Assert.Equal("pending", ignored.Json.GetProperty("status").GetString());
        }

        Assert.Equal(watcherLooks, await WatcherLooksAsync());

        var tx = await SendAsync(payer, intent);
        var hint = await fixture.Api.PostAsync($"/v1/payments/{paymentId}/tx", new { txHash = tx });
        Assert.Equal(HttpStatusCode.Accepted, hint.Status);
        Assert.Equal(0, hint.Json.GetProperty("credited").GetInt64());
        Assert.Equal(watcherLooks + 1, await WatcherLooksAsync());
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        await _chain.WaitForAsync(paymentId, "credited");
        Assert.Single(await DepositsAsync(WalletAccount(payer)));
    }

    [Fact]
    public async Task Bad_intents_and_hints_are_refused_naming_the_field_and_change_nothing()
    {
        var payer = fixture.Chain.DevAccounts[8];
        async Task<ApiResponse> Intent(object body) => await fixture.Api.PostJsonAsync("/v1/payments/onchain", JsonSerializer.Serialize(body), key: null);

        await AssertFieldAsync(await Intent(new { operationId = "bad-1", wallet = "0x1234", token = "ETH", chainId = ChainSiloFixture.ChainId }), "wallet");
        await AssertFieldAsync(await Intent(new { operationId = "bad-2", wallet = payer, token = "DOGE", chainId = ChainSiloFixture.ChainId }), "token");
        await AssertFieldAsync(await Intent(new { operationId = "bad-3", wallet = payer, token = "ETH", chainId = 1 }), "chainId");
        await AssertFieldAsync(await Intent(new { operationId = "bad-4", wallet = payer, token = "USDC", chainId = ChainSiloFixture.ChainId }), "amountCredits");
        await AssertFieldAsync(await Intent(new { operationId = "bad-5", wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId, amountCredits = 0 }), "amountCredits");
        await AssertFieldAsync(await Intent(new { wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId }), "operationId");

        var accountId = await fixture.Api.CreateAccountAsync();
        var named = await Intent(new { operationId = "bad-6", wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId, accountId });
        Assert.Equal(HttpStatusCode.Unauthorized, named.Status);

        // A named account's intent ids are one space with its server's: a guest token keeps to u:, an account key out of it.
        var guestToken = (await fixture.Api.PostAsync($"/v1/accounts/{accountId}/tokens", new { scopes = new[] { "read" } })).Json.GetProperty("token").GetString()!;
        var guestIntent = new { operationId = "named-2", wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId, accountId };
        await AssertFieldAsync(await fixture.Api.PostJsonAsync("/v1/payments/onchain", JsonSerializer.Serialize(guestIntent), key: guestToken), "operationId");
        await AssertFieldAsync(await fixture.Api.PostAsync("/v1/payments/onchain", guestIntent with { operationId = "u:named-2" }), "operationId");
        var guestOwn = await fixture.Api.PostJsonAsync("/v1/payments/onchain", JsonSerializer.Serialize(guestIntent with { operationId = "u:named-2" }), key: guestToken);
        Assert.Equal(HttpStatusCode.Created, guestOwn.Status);

        // A hint is open to anyone, but whose payment it is goes only to who may read the account (the id is on chain).
        var ownIntent = await fixture.Api.PostAsync("/v1/payments/onchain", new { operationId = "named-1", wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId, accountId });
        var ownPayment = ownIntent.Json.GetProperty("paymentId").GetString()!;
        var unknownTx = new { txHash = "0x" + new string('c', 64) };
        var anonymousHint = await fixture.Api.PostJsonAsync($"/v1/payments/{ownPayment}/tx", JsonSerializer.Serialize(unknownTx), key: null);
        Assert.Equal(HttpStatusCode.Accepted, anonymousHint.Status);
        Assert.Equal(JsonValueKind.Null, anonymousHint.Json.GetProperty("accountId").ValueKind);
        Assert.Equal(accountId, (await fixture.Api.PostAsync($"/v1/payments/{ownPayment}/tx", unknownTx)).Json.GetProperty("accountId").GetString());
        var badKey = await fixture.Api.PostJsonAsync($"/v1/payments/{ownPayment}/tx", JsonSerializer.Serialize(unknownTx), key: "gk_not-a-key");
        Assert.Equal((HttpStatusCode.Accepted, JsonValueKind.Null), (badKey.Status, badKey.Json.GetProperty("accountId").ValueKind)); // taken as anonymous

        var first = await _chain.IntentAsync(payer, "ETH", 10, operationId: "same-op");
        var again = await _chain.IntentAsync(payer, "ETH", 10, operationId: "same-op");
        Assert.Equal(first.GetProperty("paymentId").GetString(), again.GetProperty("paymentId").GetString());
        var conflict = await Intent(new { operationId = "same-op", wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId, amountCredits = 11 });
        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("idempotency_conflict", conflict.Code);
        // Without an account key, which field differs is not said: it would let anyone fix a guess one field at a time.
        Assert.Equal("operationId", conflict.Json.GetProperty("field").GetString());
        Assert.DoesNotContain("amountCredits", conflict.ToString(), StringComparison.Ordinal);

        var paymentId = first.GetProperty("paymentId").GetString()!;
        await AssertFieldAsync(await fixture.Api.PostAsync($"/v1/payments/{paymentId}/tx", new { txHash = "0x12" }), "txHash");
        await AssertFieldAsync(await fixture.Api.PostAsync("/v1/payments/not-an-id/tx", new { txHash = "0x" + new string('b', 64) }), "paymentId");
        var unknown = await fixture.Api.PostAsync("/v1/payments/pay_aaaaaaaaaaaaaaaaaaaaaaaaaa/tx", new { txHash = "0x" + new string('b', 64) });
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("pending", (await _chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
    }

    private static async Task AssertFieldAsync(ApiResponse response, string field)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, response.ToString());
        Assert.Equal("validation_failed", response.Code);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty(field, out _), response.ToString());
        await Task.CompletedTask;
    }

    /// <summary>A dev account as payer, with blocks mined first so an earlier test's deposits lie deeper than any reorg here.</summary>
    private async Task<string> FreshPayerAsync(int index)
    {
        await fixture.Chain.Client.MineAsync(2 * N + 4, Ct);
        return fixture.Chain.DevAccounts[index];
    }

    private async Task<(string Address, string PrivateKey)> FreshKeyedPayerAsync(int index)
    {
        var address = await FreshPayerAsync(index);
        return (address, AnvilDevKeys.PrivateKeys[index]);
    }

    /// <summary>How many hints the chain's watcher has looked at, from the silo's grain call counters.</summary>
    private async Task<double> WatcherLooksAsync()
    {
        using var response = await fixture.Silo.Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PrometheusScrape.Parse(await response.Content.ReadAsStringAsync()).Sum("grid_grain_calls_total", ("method", "IChainWatcherGrain.CheckTransaction"));
    }

    private async Task<string> SendAsync(string payer, JsonElement intent)
    {
        var value = intent.GetProperty("value").GetString() is { } text ? BigInteger.Parse(text, CultureInfo.InvariantCulture) : BigInteger.Zero;
        var hash = await fixture.Chain.Client.SendTransactionAsync(payer, intent.GetProperty("to").GetString(), value, intent.GetProperty("data").GetString(), Ct);
        var receipt = await fixture.Chain.Client.WaitForReceiptAsync(hash, Ct);
        Assert.True(receipt.Succeeded, $"the payment transaction {hash} reverted");
        return hash;
    }

    private async Task<string> ReadKeyAsync(string accountId)
    {
        var issued = await fixture.Api.PostAsync("/v1/keys", new { accountId, scopes = new[] { "read" } });
        Assert.True(issued.IsSuccess, issued.ToString());
        return issued.Json.GetProperty("key").GetString()!;
    }

    private async Task<ApiResponse> LinkAsync(string accountId, string privateKey)
    {
        var (response, address) = await _chain.LinkWalletAsync(accountId, privateKey);
        Assert.Equal(fixture.Chain.DevAccounts[3], address, StringComparer.OrdinalIgnoreCase); // the key is the payer's
        return response;
    }

    private async Task<JsonElement> WaitForSingleDepositAsync(string accountId)
    {
        IReadOnlyList<JsonElement> deposits = [];
        await Grid.TestKit.Eventually.TrueAsync(async () =>
        {
            await Task.Delay(50);
            deposits = await DepositsAsync(accountId);
            return deposits.Count > 0;
        }, $"a deposit on {accountId}", ChainApi.Patience);
        return Assert.Single(deposits);
    }

    private Task<IReadOnlyList<JsonElement>> DepositsAsync(string accountId) => _records.DepositsAsync(accountId);

    private async Task<long> ProcessedEventsAsync(string paymentId) => (await _records.EventsAsync()).Count(e => e.PaymentId == paymentId);

    private static string WalletAccount(string address) => ChainRecords.WalletAccount(address);
}
