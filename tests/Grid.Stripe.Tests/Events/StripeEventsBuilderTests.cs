using System.Text;
using System.Text.Json;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;
using Grid.Stripe.TestKit.Events;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Stripe.Tests.Events;

/// <summary>The event bodies the test kit builds for other tests read, through the grid's own parser, as what the test described.</summary>
public sealed class StripeEventsBuilderTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static readonly Dictionary<string, string> PaymentMetadata = new()
    {
        ["account_id"] = "acct-zoë",
        ["payment_id"] = "pay_01JKIT0000000000000000TEST",
    };

    private static readonly TestCheckoutSession Session = new()
    {
        Id = "cs_test_a1KitSession",
        AmountTotal = 2000,
        Currency = "usd",
        ClientReferenceId = "pay_01JKIT0000000000000000TEST",
        Metadata = PaymentMetadata,
        PaymentIntentId = "pi_3KitIntent",
        CustomerId = "cus_KitCustomer",
        Url = "https://checkout.stripe.com/c/pay/cs_test_a1KitSession",
    };

    private static readonly TestPaymentIntent Intent = new()
    {
        Id = "pi_3KitIntent",
        Amount = 5000,
        Currency = "eur",
        Metadata = PaymentMetadata,
        CustomerId = "cus_KitCustomer",
        PaymentMethodId = "pm_1KitCard",
        LatestChargeId = "ch_3KitCharge",
    };

    private static readonly TestCharge Charge = new()
    {
        Id = "ch_3KitCharge",
        Amount = 2000,
        Currency = "usd",
        AmountRefunded = 500,
        PaymentIntentId = "pi_3KitIntent",
        Metadata = PaymentMetadata,
    };

    private static readonly TestDispute Dispute = new()
    {
        Id = "dp_1KitDispute",
        Amount = 1500,
        Currency = "usd",
        ChargeId = "ch_3KitCharge",
        PaymentIntentId = "pi_3KitIntent",
        Reason = "product_not_received",
    };

    [Fact]
    public void A_paid_completed_session_reads_as_the_session_described()
    {
        var parsed = Parse(StripeEvents.CheckoutSessionCompleted("evt_1KitCompleted", Session, created: At));

        AssertEnvelope(parsed, "evt_1KitCompleted", StripeEventTypes.CheckoutSessionCompleted);
        var session = parsed.ReadCheckoutSession();
        Assert.Equal(Session.Id, session.Id);
        Assert.Equal(CheckoutSessionStatus.Complete, session.Status);
        Assert.Equal(CheckoutSessionPaymentStatus.Paid, session.PaymentStatus);
        Assert.Equal(2000, session.AmountTotal);
        Assert.Equal("usd", session.Currency);
        Assert.Equal(Session.ClientReferenceId, session.ClientReferenceId);
        Assert.Equal(PaymentMetadata, session.Metadata);
        Assert.Equal("pi_3KitIntent", session.PaymentIntent);
        Assert.Equal("cus_KitCustomer", session.Customer);
        Assert.Null(parsed.PreviousAttributes);
        Assert.Equal(JsonValueKind.Null, parsed.DataObject.GetProperty("url").ValueKind);
    }

    [Theory]
    [InlineData(StripeEventTypes.CheckoutSessionCompleted, CheckoutSessionStatus.Complete, CheckoutSessionPaymentStatus.Unpaid)]
    [InlineData(StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded, CheckoutSessionStatus.Complete, CheckoutSessionPaymentStatus.Paid)]
    [InlineData(StripeEventTypes.CheckoutSessionAsyncPaymentFailed, CheckoutSessionStatus.Complete, CheckoutSessionPaymentStatus.Unpaid)]
    [InlineData(StripeEventTypes.CheckoutSessionExpired, CheckoutSessionStatus.Expired, CheckoutSessionPaymentStatus.Unpaid)]
    public void Each_session_event_sets_the_statuses_its_type_implies(string type, CheckoutSessionStatus status, CheckoutSessionPaymentStatus paymentStatus)
    {
        var body = type switch
        {
            StripeEventTypes.CheckoutSessionCompleted => StripeEvents.CheckoutSessionCompleted("evt_1KitSession", Session, paid: false, At),
            StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded => StripeEvents.CheckoutSessionAsyncPaymentSucceeded("evt_1KitSession", Session, At),
            StripeEventTypes.CheckoutSessionAsyncPaymentFailed => StripeEvents.CheckoutSessionAsyncPaymentFailed("evt_1KitSession", Session, At),
            _ => StripeEvents.CheckoutSessionExpired("evt_1KitSession", Session with { PaymentIntentId = null }, At),
        };

        var parsed = Parse(body);

        AssertEnvelope(parsed, "evt_1KitSession", type);
        var session = parsed.ReadCheckoutSession();
        Assert.Equal(status, session.Status);
        Assert.Equal(paymentStatus, session.PaymentStatus);
        Assert.Equal(Session.Id, session.Id);
        Assert.Equal(2000, session.AmountTotal);
        Assert.Equal(Session.ClientReferenceId, session.ClientReferenceId);
        Assert.Equal(PaymentMetadata, session.Metadata);
    }

    [Fact]
    public void A_succeeded_payment_intent_reads_as_paid_in_full_with_the_request_that_caused_it()
    {
        var request = new StripeEventRequest("req_KitRequest01", "grid:pay_01JKIT0000000000000000TEST:payment_intent");

        var parsed = Parse(StripeEvents.PaymentIntentSucceeded("evt_3KitSucceeded", Intent, At, request));

        AssertEnvelope(parsed, "evt_3KitSucceeded", StripeEventTypes.PaymentIntentSucceeded, request);
        var intent = parsed.ReadPaymentIntent();
        Assert.Equal(Intent.Id, intent.Id);
        Assert.Equal(PaymentIntentStatus.Succeeded, intent.Status);
        Assert.Equal(5000, intent.Amount);
        Assert.Equal(5000, intent.AmountReceived);
        Assert.Equal("eur", intent.Currency);
        Assert.Equal(PaymentMetadata, intent.Metadata);
        Assert.Equal("ch_3KitCharge", intent.LatestCharge);
        Assert.Equal("cus_KitCustomer", intent.Customer);
        Assert.Equal("pm_1KitCard", intent.PaymentMethod);
    }

    [Fact]
    public void A_failed_payment_intent_reads_as_stripe_leaves_it_with_the_declined_card_in_the_error()
    {
        var parsed = Parse(StripeEvents.PaymentIntentPaymentFailed("evt_3KitFailed", Intent, "insufficient_funds", At));

        AssertEnvelope(parsed, "evt_3KitFailed", StripeEventTypes.PaymentIntentPaymentFailed);
        var intent = parsed.ReadPaymentIntent();
        Assert.Equal(PaymentIntentStatus.RequiresPaymentMethod, intent.Status);
        Assert.Equal(5000, intent.Amount);
        Assert.Equal(0, intent.AmountReceived);
        Assert.Null(intent.PaymentMethod);
        Assert.Equal("cus_KitCustomer", intent.Customer);
        Assert.Equal(PaymentMetadata, intent.Metadata);
        var error = parsed.DataObject.GetProperty("last_payment_error");
        Assert.Equal("card_error", error.GetProperty("type").GetString());
        Assert.Equal("card_declined", error.GetProperty("code").GetString());
        Assert.Equal("insufficient_funds", error.GetProperty("decline_code").GetString());
        Assert.Equal("pm_1KitCard", error.GetProperty("payment_method").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(500, 0, false)]
    [InlineData(2000, 500, true)]
    public void A_refunded_charge_reads_with_its_running_total_and_whether_it_is_refunded_in_full(long amountRefunded, long before, bool refunded)
    {
        var parsed = Parse(StripeEvents.ChargeRefunded("evt_3KitRefunded", Charge with { AmountRefunded = amountRefunded }, before, At));

        AssertEnvelope(parsed, "evt_3KitRefunded", StripeEventTypes.ChargeRefunded);
        var charge = parsed.ReadCharge();
        Assert.Equal(Charge.Id, charge.Id);
        Assert.Equal(2000, charge.Amount);
        Assert.Equal(amountRefunded, charge.AmountRefunded);
        Assert.Equal(refunded, charge.Refunded);
        Assert.Equal("usd", charge.Currency);
        Assert.Equal("pi_3KitIntent", charge.PaymentIntent);
        Assert.Equal(PaymentMetadata, charge.Metadata);
        Assert.Equal(before, parsed.PreviousAttributes!.Value.GetProperty("amount_refunded").GetInt64());
    }

    [Fact]
    public void A_new_dispute_reads_as_needing_a_response()
    {
        var parsed = Parse(StripeEvents.ChargeDisputeCreated("evt_1KitDisputed", Dispute, At));

        AssertEnvelope(parsed, "evt_1KitDisputed", StripeEventTypes.ChargeDisputeCreated);
        var dispute = parsed.ReadDispute();
        Assert.Equal(DisputeStatus.NeedsResponse, dispute.Status);
        AssertDispute(dispute);
    }

    [Theory]
    [InlineData(true, DisputeStatus.Won)]
    [InlineData(false, DisputeStatus.Lost)]
    public void A_closed_dispute_reads_as_won_or_lost(bool won, DisputeStatus status)
    {
        var parsed = Parse(StripeEvents.ChargeDisputeClosed("evt_1KitClosed", Dispute, won, At));

        AssertEnvelope(parsed, "evt_1KitClosed", StripeEventTypes.ChargeDisputeClosed);
        var dispute = parsed.ReadDispute();
        Assert.Equal(status, dispute.Status);
        AssertDispute(dispute);
        Assert.Equal("under_review", parsed.PreviousAttributes!.Value.GetProperty("status").GetString());
    }

    [Theory]
    [InlineData(StripeEventTypes.ChargeRefundUpdated)]
    [InlineData(StripeEventTypes.RefundFailed)]
    public void A_failed_refund_reads_as_the_refund_described_with_its_reason(string type)
    {
        var refund = new TestRefund
        {
            Id = "re_3KitRefund", Amount = 500, Currency = "usd", ChargeId = "ch_3KitCharge", PaymentIntentId = "pi_3KitIntent",
            Status = "failed", FailureReason = "expired_or_canceled_card",
        };

        var parsed = Parse(StripeEvents.ChargeRefundUpdated("evt_1KitRefundFailed", refund, At, type));

        // A refund object has no livemode of its own, so not the whole AssertEnvelope.
        Assert.Equal(("evt_1KitRefundFailed", type, At, false), (parsed.Id, parsed.Type, parsed.Created, parsed.Livemode));
        Assert.Equal("refund", parsed.DataObjectName);
        var read = parsed.ReadRefund();
        Assert.Equal(("re_3KitRefund", 500L, "usd", RefundStatus.Failed), (read.Id, read.Amount, read.Currency, read.Status));
        Assert.Equal(("ch_3KitCharge", "pi_3KitIntent", "expired_or_canceled_card"), (read.Charge, read.PaymentIntent, read.FailureReason));
        Assert.Equal("pending", parsed.PreviousAttributes!.Value.GetProperty("status").GetString());
    }

    [Fact]
    public void Bodies_are_written_as_stripe_writes_them_indented_with_raw_utf8_text()
    {
        var body = StripeEvents.CheckoutSessionCompleted("evt_1KitCompleted", Session, created: At);

        Assert.StartsWith("{\n  \"id\": \"evt_1KitCompleted\",\n  \"object\": \"event\",\n  \"api_version\": \"2024-06-20\",", body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\"account_id\": \"acct-zoë\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public void Any_other_event_type_wraps_the_object_given()
    {
        var dataObject = StripeObjectJson.Charge(Charge, At);
        dataObject["metadata"] = null;

        var parsed = Parse(StripeEvents.Event("evt_1KitOther", "charge.updated", dataObject, At));

        AssertEnvelope(parsed, "evt_1KitOther", "charge.updated");
        Assert.Equal("charge", parsed.DataObjectName);
        Assert.Equal(JsonValueKind.Null, parsed.DataObject.GetProperty("metadata").ValueKind);
    }

    private static StripeEvent Parse(string body) => StripeEvent.Parse(Encoding.UTF8.GetBytes(body));

    private static void AssertEnvelope(StripeEvent parsed, string id, string type, StripeEventRequest? request = null)
    {
        Assert.Equal(id, parsed.Id);
        Assert.Equal(type, parsed.Type);
        Assert.Equal(At, parsed.Created);
        Assert.False(parsed.Livemode);
        Assert.Equal("2024-06-20", parsed.ApiVersion);
        Assert.Equal(request ?? new StripeEventRequest(null, null), parsed.Request);
        Assert.False(parsed.DataObject.GetProperty("livemode").GetBoolean());
    }

    private static void AssertDispute(Dispute dispute)
    {
        Assert.Equal(Dispute.Id, dispute.Id);
        Assert.Equal(1500, dispute.Amount);
        Assert.Equal("usd", dispute.Currency);
        Assert.Equal("ch_3KitCharge", dispute.Charge);
        Assert.Equal("pi_3KitIntent", dispute.PaymentIntent);
        Assert.Equal("product_not_received", dispute.Reason);
    }
}
