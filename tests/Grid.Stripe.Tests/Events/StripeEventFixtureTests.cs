using System.Text;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;
using Grid.Stripe.TestKit.Webhooks;
using Grid.Stripe.Tests.Events.Support;
using Grid.Stripe.Tests.Webhooks.Support;
using Grid.Stripe.Webhooks;

namespace Grid.Stripe.Tests.Events;

/// <summary>Realistic webhook bodies for every event the grid acts on, read into the envelope and the typed objects.</summary>
public sealed class StripeEventFixtureTests
{
    [Fact]
    public void Checkout_session_completed_and_paid()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.CheckoutSessionCompleted));

        Assert.Equal("evt_1SfK2pLkdIwHu7ixQ3mXw9Ta", stripeEvent.Id);
        Assert.Equal(StripeEventTypes.CheckoutSessionCompleted, stripeEvent.Type);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225540), stripeEvent.Created);
        Assert.False(stripeEvent.Livemode);
        Assert.Equal("2025-03-31.basil", stripeEvent.ApiVersion);
        Assert.Equal(new StripeEventRequest(null, null), stripeEvent.Request);
        Assert.Null(stripeEvent.PreviousAttributes);
        Assert.Equal(CheckoutSession.ObjectName, stripeEvent.DataObjectName);

        var session = stripeEvent.ReadCheckoutSession();
        Assert.Equal("cs_test_a1Xq7BvN2fR8kLmP0sT4uW6yZ9cE3hJ5gD", session.Id);
        Assert.Equal(CheckoutSessionPaymentStatus.Paid, session.PaymentStatus);
        Assert.Equal(CheckoutSessionStatus.Complete, session.Status);
        Assert.Equal(2000, session.AmountTotal);
        Assert.Equal("usd", session.Currency);
        Assert.Equal("pay_01JGZ3T8Q4N6V2M9XK5R7W1C3D", session.ClientReferenceId);
        Assert.Equal("acct-7f3c", session.Metadata["account_id"]);
        Assert.Equal("pay_01JGZ3T8Q4N6V2M9XK5R7W1C3D", session.Metadata["payment_id"]);
        Assert.Equal(3, session.Metadata.Count);
        Assert.Equal("pi_3SfK2nLkdIwHu7ix0Zr4Yb1Q", session.PaymentIntent);
        Assert.Equal("cus_TcK8m2QwE5rYtZ", session.Customer);
    }

    [Fact]
    public void Checkout_session_async_payment_succeeded_is_paid()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.CheckoutSessionAsyncPaymentSucceeded));
        var session = stripeEvent.ReadCheckoutSession();

        Assert.Equal(StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded, stripeEvent.Type);
        Assert.Equal(CheckoutSessionPaymentStatus.Paid, session.PaymentStatus);
        Assert.Equal(CheckoutSessionStatus.Complete, session.Status);
        Assert.Equal(5000, session.AmountTotal);
        Assert.Equal("pay_01JGZ4A2B3C4D5E6F7G8H9J0K1", session.ClientReferenceId);
    }

    [Fact]
    public void Checkout_session_async_payment_failed_is_unpaid()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.CheckoutSessionAsyncPaymentFailed));
        var session = stripeEvent.ReadCheckoutSession();

        Assert.Equal(StripeEventTypes.CheckoutSessionAsyncPaymentFailed, stripeEvent.Type);
        Assert.Equal(CheckoutSessionPaymentStatus.Unpaid, session.PaymentStatus);
        Assert.Equal("pay_01JGZ4P9Q8R7S6T5V4W3X2Y1Z0", session.Metadata["payment_id"]);
    }

    [Fact]
    public void Checkout_session_expired_has_no_payment_intent_or_customer()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.CheckoutSessionExpired));
        var session = stripeEvent.ReadCheckoutSession();

        Assert.Equal(StripeEventTypes.CheckoutSessionExpired, stripeEvent.Type);
        Assert.Equal(CheckoutSessionStatus.Expired, session.Status);
        Assert.Equal(CheckoutSessionPaymentStatus.Unpaid, session.PaymentStatus);
        Assert.Null(session.PaymentIntent);
        Assert.Null(session.Customer);
        Assert.Equal("pay_01JGZ5M2N3P4Q5R6S7T8V9W0X1", session.ClientReferenceId);
    }

    [Fact]
    public void Charge_refunded_in_part_carries_the_running_total_and_what_it_was_before()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.ChargeRefundedPartially));
        var charge = stripeEvent.ReadCharge();

        Assert.Equal(StripeEventTypes.ChargeRefunded, stripeEvent.Type);
        Assert.Equal("ch_3SfK2nLkdIwHu7ix0M4kVj8z", charge.Id);
        Assert.Equal(2000, charge.Amount);
        Assert.Equal(500, charge.AmountRefunded);
        Assert.False(charge.Refunded);
        Assert.Equal("usd", charge.Currency);
        Assert.Equal("pi_3SfK2nLkdIwHu7ix0Zr4Yb1Q", charge.PaymentIntent);
        Assert.Equal("pay_01JGZ3T8Q4N6V2M9XK5R7W1C3D", charge.Metadata["payment_id"]);
        Assert.Equal(0, stripeEvent.PreviousAttributes!.Value.GetProperty("amount_refunded").GetInt64());
        Assert.Equal(new StripeEventRequest("req_Qz7Lm3Np9Vb1Xc", "7c1e4d9a-3b2f-4e8d-9a6c-5f0b1e2d3c4a"), stripeEvent.Request);
    }

    [Fact]
    public void Charge_dispute_created_holds_the_disputed_amount()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.ChargeDisputeCreated));
        var dispute = stripeEvent.ReadDispute();

        Assert.Equal(StripeEventTypes.ChargeDisputeCreated, stripeEvent.Type);
        Assert.Equal("dp_1SgA7bLkdIwHu7ixD2fG4hJk", dispute.Id);
        Assert.Equal(1500, dispute.Amount);
        Assert.Equal("usd", dispute.Currency);
        Assert.Equal("ch_3SfK2nLkdIwHu7ix0M4kVj8z", dispute.Charge);
        Assert.Equal("pi_3SfK2nLkdIwHu7ix0Zr4Yb1Q", dispute.PaymentIntent);
        Assert.Equal(DisputeStatus.NeedsResponse, dispute.Status);
        Assert.Equal("fraudulent", dispute.Reason);
    }

    [Theory]
    [InlineData(StripeEventFixtures.ChargeDisputeClosedWon, DisputeStatus.Won)]
    [InlineData(StripeEventFixtures.ChargeDisputeClosedLost, DisputeStatus.Lost)]
    public void Charge_dispute_closed_says_won_or_lost(string fixture, DisputeStatus status)
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(fixture));
        var dispute = stripeEvent.ReadDispute();

        Assert.Equal(StripeEventTypes.ChargeDisputeClosed, stripeEvent.Type);
        Assert.Equal(status, dispute.Status);
        Assert.Equal(1500, dispute.Amount);
        Assert.Equal("ch_3SfK2nLkdIwHu7ix0M4kVj8z", dispute.Charge);
        Assert.Equal("under_review", stripeEvent.PreviousAttributes!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public void Payment_intent_succeeded_for_an_auto_reload()
    {
        var stripeEvent = StripeEvent.Parse(StripeEventFixtures.Read(StripeEventFixtures.PaymentIntentSucceeded));
        var intent = stripeEvent.ReadPaymentIntent();

        Assert.Equal(StripeEventTypes.PaymentIntentSucceeded, stripeEvent.Type);
        Assert.Equal("pi_3SgB1dLkdIwHu7ix1Kq8Wn2M", intent.Id);
        Assert.Equal(PaymentIntentStatus.Succeeded, intent.Status);
        Assert.Equal(10000, intent.Amount);
        Assert.Equal(10000, intent.AmountReceived);
        Assert.Equal("usd", intent.Currency);
        Assert.Equal("ch_3SgB1dLkdIwHu7ix1Vd4Xs7P", intent.LatestCharge);
        Assert.Equal("cus_TcK8m2QwE5rYtZ", intent.Customer);
        Assert.Equal("pm_1SfK2mLkdIwHu7ixHs7Pq1Vb", intent.PaymentMethod);
        Assert.Equal("auto_reload", intent.Metadata["kind"]);
        Assert.Equal("grid-pay_01JH0AR5T6V7W8X9Y0Z1A2B3C4", stripeEvent.Request?.IdempotencyKey);
    }

    [Fact]
    public async Task Every_fixture_signed_by_stripe_node_verifies_and_parses_from_the_same_bytes()
    {
        const long now = 1_767_225_600;
        const string secret = "whsec_FixtureEndpoint0123456789abcdefgh";
        var bodies = StripeEventFixtures.All.Select(StripeEventFixtures.Read).ToList();
        var headers = await StripeNode.SignAsync(
            bodies.Select(body => new StripeSignRequest(Encoding.UTF8.GetString(body), now, [new StripeSignatureSpec(secret)])).ToList(),
            CancellationToken.None);
        var verifier = new StripeSignatureVerifier([secret], new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(now)));

        for (var i = 0; i < bodies.Count; i++)
        {
            Assert.True(verifier.Verify(headers[i], bodies[i]).IsVerified, StripeEventFixtures.All[i]);
            Assert.True(StripeEvent.TryParse(bodies[i], out var stripeEvent, out var error), error);
            Assert.StartsWith(stripeEvent.Type, StripeEventFixtures.All[i], StringComparison.Ordinal);
        }
    }
}
