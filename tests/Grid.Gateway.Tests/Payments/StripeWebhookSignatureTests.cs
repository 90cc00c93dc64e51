using System.Net;
using Grid.Gateway.Tests.Support;
using Grid.Stripe.TestKit;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Webhooks;

namespace Grid.Gateway.Tests.Payments;

/// <summary>
/// The webhook route's signature check, with every signature made by stripe-node: a delivery is credited only
/// when a v1 signature under a configured secret covers its exact body within 300 s; anything else is 400 and
/// changes nothing (no credit, no processed event).
/// </summary>
public sealed class StripeWebhookSignatureTests(CardSiloFixture card) : IClassFixture<CardSiloFixture>
{
    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task Two_v1_signatures_one_from_an_old_secret_are_accepted()
    {
        var (account, body) = await PaidCheckoutAsync();
        var header = await StripeNode.SignAsync(
            body, Now, new StripeSignatureSpec("whsec_retired_long_ago_0123456789abcdef"), new StripeSignatureSpec(CardSiloFixture.WebhookSecret));
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.PostWebhookAsync(body, header)));
        Assert.Equal(2_000, await card.AvailableAsync(account));
    }

    [Fact]
    public async Task A_delivery_signed_only_with_the_second_configured_secret_is_accepted_while_it_rolls()
    {
        var (account, body) = await PaidCheckoutAsync();
        var header = await StripeNode.SignAsync(body, Now, CardSiloFixture.OldWebhookSecret);
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.PostWebhookAsync(body, header)));
        Assert.Equal(2_000, await card.AvailableAsync(account));
    }

    public static TheoryData<string> Refusals => ["v0 only", "stale", "future", "tampered", "missing", "unknown secret", "garbage"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_bad_signature_is_400_and_changes_nothing(string refusal)
    {
        var (account, body) = await PaidCheckoutAsync();
        var before = (await card.ProcessedEventsAsync()).Count;
        var (sentBody, header) = refusal switch
        {
            "v0 only" => (body, await StripeNode.SignAsync(body, Now, new StripeSignatureSpec(CardSiloFixture.WebhookSecret, "v0"))),
            "stale" => (body, await StripeNode.SignAsync(body, Now - 330, CardSiloFixture.WebhookSecret)),
            "future" => (body, await StripeNode.SignAsync(body, Now + 330, CardSiloFixture.WebhookSecret)),
            "tampered" => (body.Replace("\"amount_total\": 200", "\"amount_total\": 201", StringComparison.Ordinal),
                await StripeNode.SignAsync(body, Now, CardSiloFixture.WebhookSecret)),
            "missing" => (body, (string?)null),
            "unknown secret" => (body, await StripeNode.SignAsync(body, Now, "whsec_someone_else_0123456789abcdef")),
            _ => (body, "t=abc,v1=nothex"),
        };
        if (refusal == "tampered")
        {
            Assert.NotEqual(body, sentBody);
        }

        var response = await card.PostWebhookAsync(sentBody, header);
        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_signature", response.Code);
        Assert.Equal(0, await card.AvailableAsync(account));
        Assert.Equal(before, (await card.ProcessedEventsAsync()).Count);

        // The same body, properly signed, is credited: the refusal left nothing behind that would stop it.
        Assert.Equal("applied", CardSiloFixture.Outcome(await card.DeliverAsync(body)));
        Assert.Equal(2_000, await card.AvailableAsync(account));
    }

    private async Task<(string Account, string Body)> PaidCheckoutAsync()
    {
        var account = await card.Api.CreateAccountAsync();
        var (_, session) = await card.StartCheckoutAsync(account, "topup");
        var paid = card.Stripe.CompleteCheckoutSession(session.Id);
        return (account, StripeEvents.CheckoutSessionCompleted(StripeTestIds.Event(), paid));
    }

}
