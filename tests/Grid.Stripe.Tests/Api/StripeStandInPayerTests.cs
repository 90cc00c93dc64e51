using System.Text;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.StandIn;
using Grid.Stripe.Tests.Api.Support;

namespace Grid.Stripe.Tests.Api;

/// <summary>
/// What an end-to-end card test does with the stand-in: read the sessions and PaymentIntents the client created,
/// play the payer, and turn the resulting objects into the events Stripe would send.
/// </summary>
public sealed class StripeStandInPayerTests
{
    [Fact]
    public async Task A_created_session_can_be_read_with_its_hosted_page_url()
    {
        await using var h = await StripeHarness.StartAsync();

        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        var session = Assert.Single(h.Stripe.CheckoutSessions);
        Assert.Equal(created.Id, session.Id);
        Assert.Equal(created.Url, session.Url);
        Assert.Matches("^https://checkout\\.stripe\\.com/c/pay/cs_test_[A-Za-z0-9]{58}#", session.Url);
        Assert.Equal(2000, session.AmountTotal);
        Assert.Equal("usd", session.Currency);
        Assert.Equal("pay_01JD4TOPUP", session.ClientReferenceId);
        Assert.Equal("acct-ada", session.Metadata["account_id"]);
        Assert.Equal("pay_01JD4TOPUP", session.Metadata["payment_id"]);
        Assert.Null(session.PaymentIntentId);
        Assert.Null(session.CustomerId);
        Assert.Equal("open", session.Status);
        Assert.Equal("unpaid", session.PaymentStatus);
        Assert.Equal("https://grid.example/topups/cancelled", session.CancelUrl);
        Assert.Equivalent(session, h.Stripe.CheckoutSession(session.Id), strict: true);
        Assert.Null(h.Stripe.CheckoutSession("cs_test_none"));
        Assert.Empty(h.Stripe.PaymentIntents);
    }

    [Fact]
    public async Task Paying_a_session_creates_a_succeeded_payment_intent_that_carries_the_payment_metadata()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        var paid = h.Stripe.CompleteCheckoutSession(created.Id);

        Assert.Equal("complete", paid.Status);
        Assert.Equal("paid", paid.PaymentStatus);
        Assert.Null(paid.Url);
        var intent = Assert.Single(h.Stripe.PaymentIntents);
        Assert.Equal(intent.Id, paid.PaymentIntentId);
        Assert.Equal("succeeded", intent.Status);
        Assert.Equal(2000, intent.Amount);
        Assert.Equal(2000, intent.AmountReceived);
        Assert.Equal("usd", intent.Currency);
        Assert.StartsWith("pm_", intent.PaymentMethodId, StringComparison.Ordinal);
        Assert.Null(intent.CustomerId);
        Assert.Equal("pay_01JD4TOPUP", intent.Metadata["payment_id"]);
        Assert.Equal("acct-ada", intent.Metadata["account_id"]);
        var charge = Assert.Single(h.Stripe.Charges);
        Assert.Equal(intent.LatestChargeId, charge.Id);
        Assert.Equal(intent.Id, charge.PaymentIntentId);
        Assert.Equal(2000, charge.Amount);
        Assert.Equal(0, charge.AmountRefunded);
        Assert.Equal(intent.Metadata, charge.Metadata);

        // The grid, asking Stripe afterwards, sees the same.
        var retrieved = await h.RunAsync(c => c.RetrieveCheckoutSessionAsync(created.Id, CancellationToken.None));
        Assert.Equal("paid", retrieved.PaymentStatus);
        Assert.Equal(intent.Id, retrieved.PaymentIntentId);
        Assert.Throws<InvalidOperationException>(() => h.Stripe.CompleteCheckoutSession(created.Id));
    }

    [Fact]
    public async Task The_paid_session_and_its_charge_become_events_the_grid_reads_as_that_payment()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));
        var paid = h.Stripe.CompleteCheckoutSession(created.Id);
        var charge = h.Stripe.Charge(h.Stripe.PaymentIntent(paid.PaymentIntentId!)!.LatestChargeId!)!;

        var completed = Parse(StripeEvents.CheckoutSessionCompleted("evt_1Paid", paid)).ReadCheckoutSession();
        var refunded = Parse(StripeEvents.ChargeRefunded("evt_3Refunded", charge with { AmountRefunded = 700 })).ReadCharge();

        Assert.Equal(CheckoutSessionPaymentStatus.Paid, completed.PaymentStatus);
        Assert.Equal(paid.PaymentIntentId, completed.PaymentIntent);
        Assert.Equal("pay_01JD4TOPUP", completed.ClientReferenceId);
        Assert.Equal(2000, completed.AmountTotal);
        Assert.Equal(paid.PaymentIntentId, refunded.PaymentIntent);
        Assert.Equal(700, refunded.AmountRefunded);
        Assert.False(refunded.Refunded);
        Assert.Equal("pay_01JD4TOPUP", refunded.Metadata["payment_id"]);
    }

    [Fact]
    public async Task A_card_saved_in_checkout_pays_later_off_session()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout() with { SaveCardForOffSession = true }, CancellationToken.None));

        var paid = h.Stripe.CompleteCheckoutSession(created.Id);

        Assert.StartsWith("cus_", paid.CustomerId, StringComparison.Ordinal);
        var saved = Assert.Single(h.Stripe.PaymentIntents);
        Assert.Equal(paid.CustomerId, saved.CustomerId);
        Assert.Equal("off_session", saved.SetupFutureUsage);

        var reload = StripeHarness.AutoReload(saved.PaymentMethodId!) with { CustomerId = paid.CustomerId! };
        var intent = await h.RunAsync(c => c.CreatePaymentIntentAsync(reload, CancellationToken.None));

        Assert.Equal("succeeded", intent.Status);
        Assert.Equal(2, h.Stripe.PaymentIntents.Count);
        var read = h.Stripe.PaymentIntents[^1];
        Assert.Equal(intent.Id, read.Id);
        Assert.Equal(paid.CustomerId, read.CustomerId);
        Assert.Equal(saved.PaymentMethodId, read.PaymentMethodId);
        Assert.Equal(5000, read.Amount);
        Assert.Equal("pay_01JD4RELOAD", read.Metadata["payment_id"]);
    }

    [Fact]
    public async Task An_expired_session_has_no_url_and_can_no_longer_be_paid()
    {
        await using var h = await StripeHarness.StartAsync();
        var created = await h.RunAsync(c => c.CreateCheckoutSessionAsync(StripeHarness.Checkout(), CancellationToken.None));

        var expired = h.Stripe.ExpireCheckoutSession(created.Id);

        Assert.Equal("expired", expired.Status);
        Assert.Equal("unpaid", expired.PaymentStatus);
        Assert.Null(expired.Url);
        Assert.Throws<InvalidOperationException>(() => h.Stripe.CompleteCheckoutSession(created.Id));
        Assert.Throws<InvalidOperationException>(() => h.Stripe.ExpireCheckoutSession("cs_test_none"));
        Assert.Empty(h.Stripe.PaymentIntents);
    }

    private static StripeEvent Parse(string body) => StripeEvent.Parse(Encoding.UTF8.GetBytes(body));
}
