using System.Net;
using System.Text.Json;
using Grid.Chain.TestKit.Rpc;
using Grid.Gateway.Tests.Sessions;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// A wallet that paid as a guest and is then linked to an account takes its guest balance along: HTTP in (payment on
/// a real Anvil chain, SIWE link), both journals and balances out.
/// </summary>
public sealed class WalletLinkTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    private const int Payer = 3;
    private readonly ChainApi _chain = new(fixture.Api);

    [Fact]
    public async Task A_message_signed_to_link_a_wallet_cannot_sign_in_and_its_nonce_stays_good_for_the_link()
    {
        // The link message passes through the account admin's hands; as a sign-in it would open a session on the
        // wallet's own guest account (or the account it is linked to now).
        const int wallet = 2; // not the payer of the other tests here
        var accountId = await fixture.Api.CreateAccountAsync();
        var nonce = (await fixture.Api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(AnvilDevKeys.PrivateKeys[wallet], nonce, [$"urn:grid:account:{accountId}"]);

        var signIn = await fixture.Api.PostJsonAsync(
            "/v1/auth/siwe/verify", JsonSerializer.Serialize(new { message = signed.Message, signature = signed.Signature }), key: null);
        Assert.True(signIn.Status == System.Net.HttpStatusCode.BadRequest, signIn.ToString());
        Assert.Equal("validation_failed", signIn.Code);
        Assert.True(signIn.Json.GetProperty("errors").TryGetProperty("message", out _), signIn.ToString());
        Assert.DoesNotContain("token", signIn.Text, StringComparison.Ordinal);

        var link = await fixture.Api.PostAsync($"/v1/accounts/{accountId}/wallets", new { message = signed.Message, signature = signed.Signature });
        Assert.True(link.IsSuccess, link.ToString());
        Assert.Equal(accountId, link.Json.GetProperty("accountId").GetString());
    }

    [Fact]
    public async Task Linking_a_wallet_moves_what_it_paid_as_a_guest_to_the_account_once()
    {
        var payer = fixture.Chain.DevAccounts[Payer];
        var intent = await _chain.IntentAsync(payer, "ETH", 420);
        await new ChainPayer(fixture.Chain).PayIntentAsync(payer, intent);
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations, CancellationToken.None);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var claim = intent.GetProperty("claim").GetString()!;
        var credited = await _chain.WaitForAsync(paymentId, "credited");
        var guest = credited.GetProperty("accountId").GetString()!;
        Assert.Equal(420, await AvailableAsync(guest));
        Assert.Equal(JsonValueKind.String, (await _chain.PaymentAsync(paymentId, claim, key: null)).GetProperty("guestToken").ValueKind);

        var accountId = await fixture.Api.CreateAccountAsync();
        var (link, _) = await _chain.LinkWalletAsync(accountId, AnvilDevKeys.PrivateKeys[Payer]);
        Assert.True(link.IsSuccess, link.ToString());
        var (again, _) = await _chain.LinkWalletAsync(accountId, AnvilDevKeys.PrivateKeys[Payer]);
        Assert.True(again.IsSuccess, again.ToString());

        Assert.Equal(420, await AvailableAsync(accountId));
        Assert.Equal(0, await AvailableAsync(guest));
        var taken = Assert.Single(await MovesAsync(guest));
        var given = Assert.Single(await MovesAsync(accountId));
        Assert.Equal(("debit", 420L), (taken.GetProperty("kind").GetString(), taken.GetProperty("amount").GetInt64()));
        Assert.Equal(("deposit", 420L), (given.GetProperty("kind").GetString(), given.GetProperty("amount").GetInt64()));
        Assert.Equal(taken.GetProperty("operationId").GetString(), given.GetProperty("operationId").GetString());
        Assert.Equal($"wallet-link:{payer}", given.GetProperty("reference").GetString(), StringComparer.OrdinalIgnoreCase);

        // Linked: the intent's claim no longer opens the guest account, where the wallet's later payments would gather.
        var claimed = await _chain.PaymentAsync(paymentId, claim, key: null);
        Assert.Equal("credited", claimed.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, claimed.GetProperty("guestToken").ValueKind);

        // Credits left on the guest account after the link (a payment begun before it, whose hand-on a stop cut short; put
        // there by the operator here) go to the linked account when the wallet signs in.
        await fixture.Api.DepositAsync(guest, "stranded", 30);
        var nonce = (await fixture.Api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(AnvilDevKeys.PrivateKeys[Payer], nonce);
        var signIn = await fixture.Api.PostJsonAsync(
            "/v1/auth/siwe/verify", JsonSerializer.Serialize(new { message = signed.Message, signature = signed.Signature }), key: null);
        Assert.True(signIn.IsSuccess, signIn.ToString());
        Assert.Equal(accountId, signIn.Json.GetProperty("accountId").GetString());
        Assert.Equal(450, await AvailableAsync(accountId));
        Assert.Equal(0, await AvailableAsync(guest));
        Assert.Equal([420L, 30L], (await MovesAsync(accountId)).Select(m => m.GetProperty("amount").GetInt64()));
    }

    [Theory]
    [InlineData(1, "linked")]
    [InlineData(5, "unlinked")] // unlinked before the reorg: the credit moved on all the same
    [InlineData(6, "relinked")] // then linked to another account with nothing to move, and unlinked again
    public async Task A_credit_reorged_out_after_the_link_moved_it_is_kept_for_a_person_and_no_guest_debt_is_made(int wallet, string afterwards)
    {
        // Wallets no other test here uses.
        var payer = fixture.Chain.DevAccounts[wallet];
        await fixture.Chain.Client.MineAsync(2 * ChainSiloFixture.Confirmations + 4, CancellationToken.None); // earlier deposits out of the reorg's reach
        var intent = await _chain.IntentAsync(payer, "ETH", 300);
        var tx = await new ChainPayer(fixture.Chain).PayIntentAsync(payer, intent);
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations - 1, CancellationToken.None);
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var guest = (await _chain.WaitForAsync(paymentId, "credited")).GetProperty("accountId").GetString()!;

        var accountId = await fixture.Api.CreateAccountAsync();
        var (link, _) = await _chain.LinkWalletAsync(accountId, AnvilDevKeys.PrivateKeys[wallet]);
        Assert.True(link.IsSuccess, link.ToString());
        Assert.Equal((0L, 300L), (await AvailableAsync(guest), await AvailableAsync(accountId)));
        if (afterwards != "linked")
        {
            await UnlinkAsync(accountId, payer);
        }

        if (afterwards == "relinked")
        {
            var other = await fixture.Api.CreateAccountAsync();
            var (relink, _) = await _chain.LinkWalletAsync(other, AnvilDevKeys.PrivateKeys[wallet]);
            Assert.True(relink.IsSuccess, relink.ToString());
            await UnlinkAsync(other, payer);
        }

        // Reorged out past its confirmations: the credit moved on with the link, so the empty guest account is not taken
        // below zero (a debt nobody would settle, beside 300 credits kept on the linked account); a person settles it.
        await fixture.Chain.Client.ReorgAsync(ChainSiloFixture.Confirmations + 1, CancellationToken.None);
        Assert.Null(await fixture.Chain.Client.GetReceiptAsync(tx, CancellationToken.None));
        await _chain.WaitForAsync(paymentId, "review");
        var after = (await fixture.Api.GetAsync($"/v1/accounts/{guest}")).Json;
        Assert.Equal(0, after.GetProperty("balance").GetProperty("available").GetInt64());
        Assert.False(after.GetProperty("inDebt").GetBoolean());
        Assert.DoesNotContain(await fixture.Api.JournalAsync(guest), e => e.GetProperty("kind").GetString() == "reversal");
        Assert.Equal(300, await AvailableAsync(accountId));
    }

    [Fact]
    public async Task A_stuck_move_is_shown_to_the_operator_holds_off_later_moves_and_once_released_they_move_again()
    {
        const string wallet = "0x5555555555555555555555555555555555555555555555555555555555555555"; // only signs; no other test's
        const long maxAmount = 9_007_199_254_740_991;
        var nonce = (await fixture.Api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(wallet, nonce);
        var signIn = await fixture.Api.PostJsonAsync(
            "/v1/auth/siwe/verify", JsonSerializer.Serialize(new { message = signed.Message, signature = signed.Signature }), key: null);
        Assert.True(signIn.IsSuccess, signIn.ToString());
        var guest = signIn.Json.GetProperty("accountId").GetString()!;
        await fixture.Api.DepositAsync(guest, "stuck-funding", 2_000);

        // Filled to the brim (1,023 credits short of the largest balance), the account refuses the move's credit for good:
        // the guest is debited and the credit refused, which only a person can settle.
        var full = await fixture.Api.CreateAccountAsync();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, 1_024), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (i, _) => await fixture.Api.DepositAsync(full, $"brim-{i}", maxAmount));
        var (link, address) = await _chain.LinkWalletAsync(full, wallet);
        Assert.True(link.IsSuccess, link.ToString());
        Assert.Equal(0, await AvailableAsync(guest));
        Assert.Equal(1_024 * maxAmount, await AvailableAsync(full));

        var shown = await fixture.Api.GetAsync($"/v1/wallets/{address}");
        Assert.True(shown.IsSuccess, shown.ToString());
        var stuck = shown.Json.GetProperty("stuckMove");
        var moveId = stuck.GetProperty("operationId").GetString()!;
        Assert.Equal((full, 2_000L), (stuck.GetProperty("toAccountId").GetString(), stuck.GetProperty("amount").GetInt64()));
        Assert.Contains("validation_failed", stuck.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal([("debit", moveId)], (await MovesAsync(guest)).Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("operationId").GetString())));

        // The operator's alone: the account's own admin key neither reads nor releases it.
        var issued = await fixture.Api.PostAsync("/v1/keys", new { accountId = full, scopes = new[] { "admin" } });
        Assert.True(issued.IsSuccess, issued.ToString());
        var accountKey = issued.Json.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.Forbidden, (await fixture.Api.GetAsync($"/v1/wallets/{address}", key: accountKey)).Status);
        var byAccount = await fixture.Api.PostJsonAsync(
            $"/v1/wallets/{address}/stuck-move/release", JsonSerializer.Serialize(new { operationId = moveId }), key: accountKey);
        Assert.Equal((HttpStatusCode.Forbidden, "forbidden"), (byAccount.Status, byAccount.Code));

        // A person puts the credits back on the guest by hand. Until the move is released, no other move begins: linked
        // elsewhere, the guest keeps them.
        var settled = await fixture.Api.PostAsync($"/v1/accounts/{guest}/adjustments", new { operationId = "settle-stuck", amount = 2_000, reason = $"move {moveId} refused by {full}" });
        Assert.True(settled.IsSuccess, settled.ToString());
        await UnlinkAsync(full, address);
        var other = await fixture.Api.CreateAccountAsync();
        Assert.True((await _chain.LinkWalletAsync(other, wallet)).Response.IsSuccess);
        Assert.Equal((2_000L, 0L), (await AvailableAsync(guest), await AvailableAsync(other)));

        // Released under another id, or twice, or with bad input: refused, nothing changes.
        var wrong = await fixture.Api.PostAsync($"/v1/wallets/{address}/stuck-move/release", new { operationId = "wallet-link:someone-else:0" });
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (wrong.Status, wrong.Code));
        var bad = await fixture.Api.PostAsync("/v1/wallets/0x12/stuck-move/release", new { operationId = "has space" });
        Assert.Equal((HttpStatusCode.BadRequest, "validation_failed"), (bad.Status, bad.Code));
        Assert.True(bad.Json.GetProperty("errors").TryGetProperty("address", out _) && bad.Json.GetProperty("errors").TryGetProperty("operationId", out _), bad.ToString());
        var released = await fixture.Api.PostAsync($"/v1/wallets/{address}/stuck-move/release", new { operationId = moveId });
        Assert.True(released.IsSuccess, released.ToString());
        Assert.Equal(JsonValueKind.Null, released.Json.GetProperty("stuckMove").ValueKind);
        var again = await fixture.Api.PostAsync($"/v1/wallets/{address}/stuck-move/release", new { operationId = moveId });
        Assert.Equal((HttpStatusCode.NotFound, "not_found"), (again.Status, again.Code));
        Assert.Equal(2_000, await AvailableAsync(guest));

        // Released: the next link to the same account moves what the guest has.
        Assert.True((await _chain.LinkWalletAsync(other, wallet)).Response.IsSuccess);
        Assert.Equal((0L, 2_000L), (await AvailableAsync(guest), await AvailableAsync(other)));
        Assert.Equal(1_024 * maxAmount, await AvailableAsync(full));
    }

    [Fact]
    public async Task A_link_the_account_refuses_leaves_the_signed_message_good_for_when_it_can_take_it()
    {
        // A wallet no other test here uses; it only signs, so it needs no funds on the chain (Anvil's fifth dev key).
        const string wallet = "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a";
        var accountId = $"link-later-{Guid.NewGuid():N}";
        var nonce = (await fixture.Api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(wallet, nonce, [$"urn:grid:account:{accountId}"]);
        var body = new { message = signed.Message, signature = signed.Signature };

        // No such account yet: refused, and the nonce is not spent.
        var refused = await fixture.Api.PostAsync($"/v1/accounts/{accountId}/wallets", body);
        Assert.Equal((System.Net.HttpStatusCode.NotFound, "not_found"), (refused.Status, refused.Code));

        // The admin opens it, and the same signed message links the wallet; the nonce is spent then, and only then.
        await fixture.Api.CreateAccountAsync(accountId);
        var linked = await fixture.Api.PostAsync($"/v1/accounts/{accountId}/wallets", body);
        Assert.True(linked.IsSuccess, linked.ToString());
        Assert.Equal(accountId, linked.Json.GetProperty("accountId").GetString());
        var replayed = await fixture.Api.PostAsync($"/v1/accounts/{accountId}/wallets", body);
        Assert.True(replayed.Status == System.Net.HttpStatusCode.Unauthorized && replayed.Json.GetProperty("reason").GetString() == "siwe_nonce_invalid", replayed.ToString());
    }

    [Fact]
    public async Task A_link_message_naming_two_accounts_links_neither()
    {
        const int wallet = 0; // not the wallet of another test here
        var first = await fixture.Api.CreateAccountAsync();
        var second = await fixture.Api.CreateAccountAsync();
        var nonce = (await fixture.Api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(AnvilDevKeys.PrivateKeys[wallet], nonce, [$"urn:grid:account:{first}", $"urn:grid:account:{second}"]);

        foreach (var accountId in new[] { first, second })
        {
            var refused = await fixture.Api.PostAsync($"/v1/accounts/{accountId}/wallets", new { message = signed.Message, signature = signed.Signature });
            Assert.Equal((System.Net.HttpStatusCode.BadRequest, "validation_failed"), (refused.Status, refused.Code));
            Assert.True(refused.Json.GetProperty("errors").TryGetProperty("message", out _), refused.ToString());
        }

        // Linked to neither: unlinking it from either is "not linked".
        foreach (var accountId in new[] { first, second })
        {
            var unlinked = await fixture.Api.SendAsync(System.Net.Http.HttpMethod.Delete, $"/v1/accounts/{accountId}/wallets/{signed.Address}");
            Assert.Equal((System.Net.HttpStatusCode.NotFound, "not_found"), (unlinked.Status, unlinked.Code));
        }
    }

    private async Task UnlinkAsync(string accountId, string wallet)
    {
        var unlink = await fixture.Api.SendAsync(System.Net.Http.HttpMethod.Delete, $"/v1/accounts/{accountId}/wallets/{wallet}");
        Assert.True(unlink.IsSuccess, unlink.ToString());
    }

    private async Task<long> AvailableAsync(string accountId) => (await fixture.Api.BalanceAsync(accountId)).Available;

    private async Task<IReadOnlyList<JsonElement>> MovesAsync(string accountId) =>
        [.. (await fixture.Api.JournalAsync(accountId)).Where(e => e.GetProperty("operationId").GetString()!.StartsWith("wallet-link:", StringComparison.Ordinal))];
}
