using System.Net;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Anyone may start an on-chain intent, for any wallet, and each is a stored payment: new ones started without an
/// account key are bounded per client address (here 3 at once). Past the bound the answer is 429 and nothing is stored,
/// for a wallet's own token too; repeating an existing intent takes nothing, and the admin key is not held to it.
/// </summary>
public sealed class IntentBudgetTests(IntentBudgetChainSiloFixture fixture) : IClassFixture<IntentBudgetChainSiloFixture>
{
    private readonly ChainApi _chain = new(fixture.Api);

    [Fact]
    public async Task New_intents_without_a_credential_past_the_addresss_budget_are_429_and_store_nothing()
    {
        var wallet = fixture.Chain.DevAccounts[4];
        var first = await _chain.IntentAsync(wallet, "ETH", 100, operationId: "budget-0");
        await _chain.IntentAsync(wallet, "ETH", 100, operationId: "budget-1");
        await _chain.IntentAsync(wallet, "ETH", 100, operationId: "budget-2");
        var stored = await StoredPaymentsAsync();

        var again = await _chain.IntentAsync(wallet, "ETH", 100, operationId: "budget-0");
        var refused = await fixture.Api.PostJsonAsync(
            "/v1/payments/onchain", $$"""{"operationId":"budget-3","wallet":"{{wallet}}","token":"ETH","chainId":{{ChainSiloFixture.ChainId}},"amountCredits":100}""", key: null);

        Assert.Equal(first.GetProperty("paymentId").GetString(), again.GetProperty("paymentId").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("application/problem+json", refused.MediaType);
        Assert.Equal("rate_limited", refused.Code);
        Assert.Equal(stored, await StoredPaymentsAsync());

        // A wallet's own token costs nothing to get (a sign-in with any fresh key): it is held to the same bound.
        var nonce = (await fixture.Api.GetAsync("/v1/auth/siwe/nonce", key: null)).Json.GetProperty("nonce").GetString()!;
        var signed = await SiweSigning.SignAsync(AnvilDevKeys.PrivateKeys[2], nonce);
        var signIn = await fixture.Api.PostJsonAsync(
            "/v1/auth/siwe/verify", System.Text.Json.JsonSerializer.Serialize(new { message = signed.Message, signature = signed.Signature }), key: null);
        Assert.True(signIn.IsSuccess, signIn.ToString());
        var walletToken = signIn.Json.GetProperty("token").GetString()!;
        var byToken = await fixture.Api.PostJsonAsync(
            "/v1/payments/onchain", $$"""{"operationId":"budget-4","wallet":"{{signed.Address}}","token":"ETH","chainId":{{ChainSiloFixture.ChainId}},"amountCredits":100}""", key: walletToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, byToken.Status);
        Assert.Equal(stored, await StoredPaymentsAsync());

        // The operator's key is a credential: its intents are not counted against the address.
        var keyed = await _chain.IntentAsync(wallet, "ETH", 100, key: ChainSiloFixture.AdminKey, operationId: "budget-3");
        Assert.Equal("pending", keyed.GetProperty("status").GetString());
        Assert.Equal(stored + 1, await StoredPaymentsAsync());
    }

    private async Task<long> StoredPaymentsAsync()
    {
        await using var connection = await fixture.Database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM grain_state WHERE grain_type = 'chainpayment' AND payload IS NOT NULL";
        return (long)(await command.ExecuteScalarAsync(CancellationToken.None))!;
    }
}
