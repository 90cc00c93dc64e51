using System.Net;
using Grid.Stripe.Api.Errors;
using Grid.Stripe.TestKit.StandIn;
using Grid.Stripe.Tests.Api.Support;

namespace Grid.Stripe.Tests.Api;

public sealed class StripeClientPaymentIntentTests
{
    [Fact]
    public async Task An_off_session_reload_on_a_good_card_succeeds_and_its_charge_can_be_read()
    {
        await using var h = await StripeHarness.StartAsync();

        var intent = await h.RunAsync(c => c.CreatePaymentIntentAsync(StripeHarness.AutoReload(StripeStandIn.CardSucceeds), CancellationToken.None));

        var sent = Assert.Single(h.Stripe.Requests);
        Assert.Equal("/v1/payment_intents", sent.Path);
        Assert.Equal("grid:pay_01JD4RELOAD:payment_intent", sent.IdempotencyKey);
        Assert.Equal("Bearer " + StripeStandIn.SecretKey, sent.Authorization);
        Assert.Equal("2024-06-20", sent.StripeVersion);
        Assert.Equal("true", sent.Field("off_session"));
        Assert.Equal("true", sent.Field("confirm"));
        Assert.Equal("card", sent.Field("payment_method_types[0]"));
        Assert.Null(sent.Field("automatic_payment_methods[enabled]"));
        Assert.Equal("pay_01JD4RELOAD", sent.Field("metadata[payment_id]"));

        Assert.StartsWith("pi_", intent.Id, StringComparison.Ordinal);
        Assert.Equal("succeeded", intent.Status);
        Assert.Equal(5000, intent.Amount);
        Assert.Equal(5000, intent.AmountReceived);
        Assert.Equal("usd", intent.Currency);
        Assert.Equal(StripeStandIn.CustomerId, intent.CustomerId);
        Assert.Equal(StripeStandIn.CardSucceeds, intent.PaymentMethodId);
        Assert.Null(intent.LastPaymentError);
        Assert.Equal("acct-ada", intent.Metadata["account_id"]);
        Assert.Equal(1, h.Stripe.PaymentIntentsCreated);

        var charge = await h.RunAsync(c => c.RetrieveChargeAsync(intent.LatestChargeId!, CancellationToken.None));
        Assert.Equal(intent.LatestChargeId, charge.Id);
        Assert.Equal("succeeded", charge.Status);
        Assert.True(charge.Paid);
        Assert.True(charge.Captured);
        Assert.Equal(5000, charge.Amount);
        Assert.Equal(5000, charge.AmountCaptured);
        Assert.Equal(0, charge.AmountRefunded);
        Assert.False(charge.Refunded);
        Assert.False(charge.Disputed);
        Assert.Equal(intent.Id, charge.PaymentIntentId);
        Assert.Equal("pay_01JD4RELOAD", charge.Metadata["payment_id"]);

        var again = await h.RunAsync(c => c.RetrievePaymentIntentAsync(intent.Id, CancellationToken.None));
        Assert.Equal(intent.Status, again.Status);
        Assert.Equal(intent.LatestChargeId, again.LatestChargeId);
        Assert.All(h.Stripe.Requests.Skip(1), r => Assert.Null(r.IdempotencyKey));
    }

    [Fact]
    public async Task A_declined_card_is_a_card_error_naming_the_payment_intent_and_is_not_retried()
    {
        await using var h = await StripeHarness.StartAsync();

        var error = await Assert.ThrowsAsync<StripeCardException>(
            () => h.RunAsync(c => c.CreatePaymentIntentAsync(StripeHarness.AutoReload(StripeStandIn.CardInsufficientFunds), CancellationToken.None)));

        Assert.Equal(HttpStatusCode.PaymentRequired, error.StatusCode);
        Assert.Equal("card_error", error.ErrorType);
        Assert.Equal("card_declined", error.ErrorCode);
        Assert.Equal("insufficient_funds", error.DeclineCode);
        Assert.Contains("Your card has insufficient funds.", error.Message, StringComparison.Ordinal);
        Assert.Equal(h.Stripe.Requests.Single().RequestId, error.RequestId);
        Assert.Empty(h.Backoffs);
        Assert.Equal(1, h.Stripe.PaymentIntentsCreated);

        var intent = await h.RunAsync(c => c.RetrievePaymentIntentAsync(error.PaymentIntentId!, CancellationToken.None));
        Assert.Equal("requires_payment_method", intent.Status);
        Assert.Equal(0, intent.AmountReceived);
        Assert.Equal("insufficient_funds", intent.LastPaymentError?.DeclineCode);
        var charge = await h.RunAsync(c => c.RetrieveChargeAsync(intent.LatestChargeId!, CancellationToken.None));
        Assert.Equal("failed", charge.Status);
        Assert.False(charge.Paid);
        Assert.Equal("card_declined", charge.FailureCode);
    }

    [Fact]
    public async Task A_card_that_needs_the_absent_customer_is_a_card_error_with_authentication_required()
    {
        await using var h = await StripeHarness.StartAsync();

        var error = await Assert.ThrowsAsync<StripeCardException>(
            () => h.RunAsync(c => c.CreatePaymentIntentAsync(StripeHarness.AutoReload(StripeStandIn.CardNeedsAuthentication), CancellationToken.None)));

        Assert.Equal("authentication_required", error.ErrorCode);
        Assert.Equal("authentication_required", error.DeclineCode);
        Assert.NotNull(error.PaymentIntentId);
        Assert.Single(h.Stripe.Requests);
    }

    [Fact]
    public async Task Repeating_a_declined_reload_replays_the_decline_instead_of_charging_again()
    {
        await using var h = await StripeHarness.StartAsync();
        var request = StripeHarness.AutoReload(StripeStandIn.CardInsufficientFunds);

        var first = await Assert.ThrowsAsync<StripeCardException>(() => h.RunAsync(c => c.CreatePaymentIntentAsync(request, CancellationToken.None)));
        var second = await Assert.ThrowsAsync<StripeCardException>(() => h.RunAsync(c => c.CreatePaymentIntentAsync(request, CancellationToken.None)));

        Assert.Equal(first.PaymentIntentId, second.PaymentIntentId);
        Assert.Equal(1, h.Stripe.PaymentIntentsCreated);
        Assert.Equal(1, h.Stripe.ChargesCreated);
        Assert.Equal(1, h.Stripe.Replays);
    }
}
