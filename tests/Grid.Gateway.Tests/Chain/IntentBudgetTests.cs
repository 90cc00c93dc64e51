using System.Net;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// Anyone may start an on-chain intent, for any wallet, and each is a stored payment: new ones started without a
/// credential are bounded per client address (here 3 at once). Past the bound the answer is 429 and nothing is stored;
/// repeating an existing intent takes nothing, and a caller with a credential is not held to it.
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
