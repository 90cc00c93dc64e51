using System.Net;
using System.Numerics;
using System.Text.Json;
using Grid.Chain.TestKit.Contracts;
using Grid.Gateway.Tests.Support;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// ETH priced by the chain's price feed: an intent's value follows the feed (credits round down, the value asked
/// rounds up) and its quote holds while it lives; a stale or unusable price refuses intents with 503 and keeps a
/// deposit without an intent uncredited until the price is fresh, then credits it once at that price.
/// </summary>
public sealed class PriceFeedTests(PriceFeedChainSiloFixture fixture) : IClassFixture<PriceFeedChainSiloFixture>
{
    private const int N = ChainSiloFixture.Confirmations;

    private readonly ChainApi _chain = new(fixture.Api);
    private readonly ChainRecords _records = new(fixture);
    private readonly ChainPayer _payer = new(fixture.Chain);

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task An_intent_is_priced_by_the_feed_and_its_quote_holds_when_the_price_moves()
    {
        var payer = fixture.Chain.DevAccounts[1];
        BigInteger first = 2_500_12345678; // $2,500.12345678
        await SetPriceAsync(first, DateTimeOffset.UtcNow);
        var quoted = await _chain.IntentAsync(payer, "ETH", 1_000);
        var value = ChainApi.Units(quoted, "value");
        Assert.Equal(PriceFeedChainSiloFixture.WeiFor(1_000, first), value);
        Assert.Equal(1_000, PriceFeedChainSiloFixture.CreditsFor(value, first)); // rounded up, but not a credit more
        Assert.Equal(999, PriceFeedChainSiloFixture.CreditsFor(value - 1, first)); // one wei less is short

        BigInteger second = 3_100_00000000;
        await SetPriceAsync(second, DateTimeOffset.UtcNow);
        var later = await _chain.IntentAsync(payer, "ETH", 1_000);
        Assert.Equal(PriceFeedChainSiloFixture.WeiFor(1_000, second), ChainApi.Units(later, "value"));

        // Paid after the move: the first intent credits what it quoted, not what its wei are worth now.
        Assert.True(PriceFeedChainSiloFixture.CreditsFor(value, second) > 1_200);
        var paymentId = quoted.GetProperty("paymentId").GetString()!;
        var tx = await _payer.PayIntentAsync(payer, quoted);
        await fixture.Chain.Client.MineAsync(N - 1, Ct);
        var credited = await _chain.WaitForAsync(paymentId, "credited");
        Assert.Equal(1_000, credited.GetProperty("credited").GetInt64());
        var entry = Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(payer)));
        Assert.Equal((tx, 1_000L), (entry.GetProperty("reference").GetString(), entry.GetProperty("amount").GetInt64()));
    }

    [Fact]
    public async Task A_stale_or_unusable_price_refuses_the_intent_with_503_and_stores_nothing()
    {
        var payer = fixture.Chain.DevAccounts[2];
        var body = JsonSerializer.Serialize(new { operationId = "priced-later", wallet = payer, token = "ETH", chainId = ChainSiloFixture.ChainId, amountCredits = 400 });
        BigInteger price = 1_800_00000000;

        await SetPriceAsync(price, DateTimeOffset.UtcNow - PriceFeedChainSiloFixture.MaxPriceAge - TimeSpan.FromMinutes(1));
        AssertUnavailable(await fixture.Api.PostJsonAsync("/v1/payments/onchain", body, key: null));
        await SetPriceAsync(BigInteger.Zero, DateTimeOffset.UtcNow);
        AssertUnavailable(await fixture.Api.PostJsonAsync("/v1/payments/onchain", body, key: null));
        await SetPriceAsync(-price, DateTimeOffset.UtcNow);
        AssertUnavailable(await fixture.Api.PostJsonAsync("/v1/payments/onchain", body, key: null));
        // Update times that are not in the past: an hour ahead (a negative age is not fresh), past any date, and never.
        await SetPriceAsync(price, DateTimeOffset.UtcNow.AddHours(1));
        AssertUnavailable(await fixture.Api.PostJsonAsync("/v1/payments/onchain", body, key: null));
        foreach (var seconds in new[] { BigInteger.Pow(2, 200), new BigInteger(long.MaxValue / 1000), BigInteger.Zero })
        {
            await fixture.Chain.Client.WaitForReceiptAsync(await fixture.Chain.Contracts.SetPriceAsync(price, seconds, Ct), Ct);
            AssertUnavailable(await fixture.Api.PostJsonAsync("/v1/payments/onchain", body, key: null));
        }

        // Nothing was kept of the refused requests: the same operation, once the price is fresh, is a new intent at it.
        await SetPriceAsync(price, DateTimeOffset.UtcNow);
        var intent = await fixture.Api.PostJsonAsync("/v1/payments/onchain", body, key: null);
        Assert.True(intent.Status == HttpStatusCode.Created, intent.ToString());
        Assert.Equal(PriceFeedChainSiloFixture.WeiFor(400, price), ChainApi.Units(intent.Json, "value"));
        var payment = await _chain.PaymentAsync(intent.Json.GetProperty("paymentId").GetString()!);
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal(0, payment.GetProperty("credited").GetInt64());
    }

    [Fact]
    public async Task A_deposit_without_an_intent_waits_for_a_fresh_price_then_is_credited_once_at_it()
    {
        var payer = fixture.Chain.DevAccounts[3];
        BigInteger stale = 1_000_00000000;
        BigInteger fresh = 2_000_00000000;
        var wei = BigInteger.Parse("12345678901234567", System.Globalization.CultureInfo.InvariantCulture); // ~0.0123 ETH
        await SetPriceAsync(stale, DateTimeOffset.UtcNow - PriceFeedChainSiloFixture.MaxPriceAge - TimeSpan.FromMinutes(1));

        var tx = await _payer.DepositEthAsync(payer, wei, ChainDeployment.Reference("no intent, stale price"));
        await fixture.Chain.Client.MineAsync(N, Ct);
        var paymentId = ChainRecords.DepositPaymentId(tx);

        // Deep enough, and told so, but not credited: there is no price to credit it at.
        await WaitForConfirmedAsync(paymentId);
        await Task.Delay(TimeSpan.FromSeconds(1)); // several more polls, each asking for the price again
        var waiting = await _chain.PaymentAsync(paymentId);
        Assert.Equal("confirming", waiting.GetProperty("status").GetString());
        Assert.Equal(0, waiting.GetProperty("credited").GetInt64());
        Assert.Empty(await _records.DepositsAsync(ChainRecords.WalletAccount(payer)));
        Assert.Empty(await _records.CreditsOfAsync([tx]));

        await SetPriceAsync(fresh, DateTimeOffset.UtcNow);
        var credited = await _chain.WaitForAsync(paymentId, "credited");
        var expected = (long)PriceFeedChainSiloFixture.CreditsFor(wei, fresh);
        Assert.Equal(308, expected); // 0.0123... ETH at $2,000 and 12.5 credits a dollar, rounded down
        Assert.Equal(expected, credited.GetProperty("credited").GetInt64());
        Assert.Equal(JsonValueKind.Null, credited.GetProperty("guestToken").ValueKind);

        // Later polls and a price move change nothing.
        await SetPriceAsync(stale * 3, DateTimeOffset.UtcNow);
        await fixture.Chain.Client.MineAsync(N, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var entry = Assert.Single(await _records.DepositsAsync(ChainRecords.WalletAccount(payer)));
        Assert.Equal((tx, expected), (entry.GetProperty("reference").GetString(), entry.GetProperty("amount").GetInt64()));
        Assert.Single(await _records.CreditsOfAsync([tx]));
    }

    private async Task SetPriceAsync(BigInteger answer, DateTimeOffset updatedAt) =>
        await fixture.Chain.Client.WaitForReceiptAsync(await fixture.Chain.Contracts.SetPriceAsync(answer, updatedAt, Ct), Ct);

    private async Task WaitForConfirmedAsync(string paymentId) =>
        await Eventually.TrueAsync(
            async () =>
            {
                var response = await fixture.Api.GetAsync($"/v1/payments/{paymentId}", key: null);
                return response.IsSuccess && response.Json.GetProperty("confirmations").GetInt32() >= N;
            },
            $"payment {paymentId} {N} blocks deep",
            ChainApi.Patience);

    private static void AssertUnavailable(ApiResponse response)
    {
        Assert.True(response.Status == HttpStatusCode.ServiceUnavailable, response.ToString());
        Assert.Equal("unavailable", response.Code);
    }
}
