using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text.Json;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// A wallet with no account pays on chain for one cast: its guest account is opened and credited after the
/// confirmations, the status route hands the wallet a guest token, and the cast run with that token holds its
/// buffer and returns the excess to the guest balance.
/// </summary>
public sealed class WalletCastStoryTests(ChainSiloFixture fixture) : IClassFixture<ChainSiloFixture>
{
    [Fact]
    public async Task A_wallet_pays_on_chain_and_spends_the_credits_on_a_cast_with_its_guest_token()
    {
        var chain = new ChainApi(fixture.Api);
        var wallet = fixture.Chain.DevAccounts[7];
        var guestAccount = "wallet-" + wallet[2..].ToLowerInvariant();
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Api.GetAsync($"/v1/accounts/{guestAccount}")).Status);

        var intent = await chain.IntentAsync(wallet, "ETH", 36); // one upscale: 30, held with its 20% buffer: 36
        var paymentId = intent.GetProperty("paymentId").GetString()!;
        var hash = await fixture.Chain.Client.SendTransactionAsync(
            wallet, intent.GetProperty("to").GetString(), BigInteger.Parse(intent.GetProperty("value").GetString()!, CultureInfo.InvariantCulture),
            intent.GetProperty("data").GetString(), CancellationToken.None);
        Assert.True((await fixture.Chain.Client.WaitForReceiptAsync(hash, CancellationToken.None)).Succeeded);
        await fixture.Chain.Client.MineAsync(ChainSiloFixture.Confirmations - 1, CancellationToken.None);

        var credited = await chain.WaitForAsync(paymentId, "credited", claim: intent.GetProperty("claim").GetString(), key: null);
        Assert.Equal(guestAccount, credited.GetProperty("accountId").GetString());
        var guestToken = credited.GetProperty("guestToken").GetString()!;
        var account = (await fixture.Api.GetAsync($"/v1/accounts/{guestAccount}", key: guestToken)).Json;
        Assert.True(account.GetProperty("guest").GetBoolean());
        Assert.Equal(36, account.GetProperty("balance").GetProperty("available").GetInt64());

        var started = await fixture.Api.PostJsonAsync(
            "/v1/casts", JsonSerializer.Serialize(new { operationId = "u:wallet-cast-1", accountId = guestAccount, kind = "upscale" }), key: guestToken);
        Assert.True(started.Status == HttpStatusCode.Created, started.ToString());
        Assert.Equal(36, started.Json.GetProperty("held").GetInt64());
        // The wallet's token starts the cast; the server that ran it settles it (an end user's token may not).
        var settledByGuest = await fixture.Api.PostJsonAsync(
            "/v1/casts/u:wallet-cast-1/complete", JsonSerializer.Serialize(new { operationId = "wallet-cast-1-done", price = 0 }), key: guestToken);
        Assert.Equal(HttpStatusCode.Forbidden, settledByGuest.Status);
        var done = await fixture.Api.PostJsonAsync(
            "/v1/casts/u:wallet-cast-1/complete", JsonSerializer.Serialize(new { operationId = "wallet-cast-1-done", price = 28 }));
        Assert.True(done.IsSuccess, done.ToString());
        Assert.Equal(8, done.Json.GetProperty("refunded").GetInt64());

        var balance = (await fixture.Api.GetAsync($"/v1/accounts/{guestAccount}", key: guestToken)).Json.GetProperty("balance");
        Assert.Equal((8L, 0L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("held").GetInt64()));
        var journal = (await fixture.Api.JournalAsync(guestAccount)).Where(e => e.GetProperty("kind").GetString() != "open")
            .Select(e => (e.GetProperty("kind").GetString()!, e.GetProperty("amount").GetInt64())).ToArray();
        Assert.Equal([("deposit", 36L), ("hold", 36L), ("capture", 28L)], journal);
        Assert.Equal("credited", (await chain.PaymentAsync(paymentId)).GetProperty("status").GetString());
    }
}
