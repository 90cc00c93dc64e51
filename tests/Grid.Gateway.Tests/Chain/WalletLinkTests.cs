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
    }

    private async Task<long> AvailableAsync(string accountId) => (await fixture.Api.BalanceAsync(accountId)).Available;

    private async Task<IReadOnlyList<JsonElement>> MovesAsync(string accountId) =>
        [.. (await fixture.Api.JournalAsync(accountId)).Where(e => e.GetProperty("operationId").GetString()!.StartsWith("wallet-link:", StringComparison.Ordinal))];
}
