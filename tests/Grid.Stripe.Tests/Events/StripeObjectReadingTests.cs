using System.Text;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;

namespace Grid.Stripe.Tests.Events;

/// <summary>The typed readers: the object must be of the kind asked for and carry what the record requires.</summary>
public sealed class StripeObjectReadingTests
{
    [Fact]
    public void Reading_an_object_as_another_kind_names_both()
    {
        var session = Event("""{"id":"cs_1","object":"checkout.session","payment_status":"paid"}""");

        var error = Assert.Throws<StripeEventFormatException>(session.ReadCharge);
        Assert.Contains("is a checkout.session, not a charge", error.Message, StringComparison.Ordinal);
        Assert.Throws<StripeEventFormatException>(session.ReadDispute);
        Assert.Throws<StripeEventFormatException>(session.ReadPaymentIntent);
    }

    [Fact]
    public void An_object_without_its_object_member_is_not_read_as_anything()
    {
        var error = Assert.Throws<StripeEventFormatException>(Event("""{"id":"cs_1","payment_status":"paid"}""").ReadCheckoutSession);

        Assert.Contains("no \"object\" member", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"cs_1","object":"checkout.session"}""", "payment_status")]
    [InlineData("""{"object":"checkout.session","payment_status":"paid"}""", "'id'")]
    [InlineData("""{"id":null,"object":"checkout.session","payment_status":"paid"}""", "id")]
    [InlineData("""{"id":"cs_1","object":"checkout.session","payment_status":"paid","amount_total":"2000"}""", "amount_total")]
    [InlineData("""{"id":"cs_1","object":"checkout.session","payment_status":"paid","amount_total":20.5}""", "amount_total")]
    [InlineData("""{"id":"cs_1","object":"checkout.session","payment_status":1}""", "payment_status")]
    [InlineData("""{"id":"cs_1","object":"checkout.session","payment_status":"paid","metadata":{"a":1}}""", "metadata")]
    [InlineData("""{"id":"cs_1","object":"checkout.session","payment_status":"paid","metadata":null}""", "metadata")]
    public void A_session_missing_or_mistyping_what_the_grid_reads_is_refused(string dataObject, string expected)
    {
        var error = Assert.Throws<StripeEventFormatException>(Event(dataObject).ReadCheckoutSession);

        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), error.Message);
        Assert.Contains("not a readable checkout.session", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"ch_1","object":"charge","amount":1,"refunded":false,"currency":"usd"}""", "amount_refunded")]
    [InlineData("""{"id":"ch_1","object":"charge","amount":1,"amount_refunded":0,"refunded":false,"currency":null}""", "currency")]
    [InlineData("""{"id":"ch_1","object":"charge","amount":1,"amount_refunded":0,"refunded":"no","currency":"usd"}""", "refunded")]
    [InlineData("""{"id":"ch_1","object":"charge","amount":99999999999999999999,"amount_refunded":0,"refunded":false,"currency":"usd"}""", "amount")]
    public void A_charge_missing_or_mistyping_what_the_grid_reads_is_refused(string dataObject, string expected)
    {
        var error = Assert.Throws<StripeEventFormatException>(Event(dataObject).ReadCharge);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"dp_1","object":"dispute","amount":1,"currency":"usd","status":"lost","reason":"fraudulent"}""", "charge")]
    [InlineData("""{"id":"dp_1","object":"dispute","amount":1,"currency":"usd","charge":null,"status":"lost","reason":"fraudulent"}""", "charge")]
    [InlineData("""{"id":"dp_1","object":"dispute","amount":1,"currency":"usd","charge":"ch_1","reason":"fraudulent"}""", "status")]
    public void A_dispute_without_its_charge_or_status_is_refused(string dataObject, string expected)
    {
        var error = Assert.Throws<StripeEventFormatException>(Event(dataObject).ReadDispute);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"re_1","object":"refund","currency":"usd","status":"failed"}""", "amount")]
    [InlineData("""{"id":"re_1","object":"charge","amount":1,"currency":"usd","status":"failed"}""", "refund")]
    public void A_refund_without_its_amount_or_of_another_object_is_refused(string dataObject, string expected)
    {
        var error = Assert.Throws<StripeEventFormatException>(Event(dataObject).ReadRefund);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"re_1","object":"refund","amount":1,"currency":"usd"}""")]
    [InlineData("""{"id":"re_1","object":"refund","amount":1,"currency":"usd","status":null}""")]
    public void A_refund_whose_status_is_missing_or_null_reads_as_none(string dataObject)
    {
        Assert.Null(Event(dataObject).ReadRefund().Status);
    }

    [Fact]
    public void A_refund_of_a_charge_given_as_an_expanded_object_reads_its_id()
    {
        var refund = Event("""{"id":"re_1","object":"refund","amount":1,"currency":"usd","status":"instant_reversal","charge":{"id":"ch_1","object":"charge"},"payment_intent":null}""").ReadRefund();

        Assert.Equal(("ch_1", (string?)null, RefundStatus.Unknown), (refund.Charge, refund.PaymentIntent, refund.Status));
    }

    [Fact]
    public void A_status_stripe_added_later_reads_as_unknown()
    {
        var dispute = Event("""{"id":"dp_1","object":"dispute","amount":1,"currency":"usd","charge":"ch_1","status":"arbitration_pending","reason":"x"}""").ReadDispute();
        var intent = Event("""{"id":"pi_1","object":"payment_intent","status":"requires_teleportation","amount":1,"currency":"usd"}""").ReadPaymentIntent();
        var session = Event("""{"id":"cs_1","object":"checkout.session","payment_status":"partially_paid","status":"archived"}""").ReadCheckoutSession();

        Assert.Equal(DisputeStatus.Unknown, dispute.Status);
        Assert.Equal(PaymentIntentStatus.Unknown, intent.Status);
        Assert.Equal(CheckoutSessionPaymentStatus.Unknown, session.PaymentStatus);
        Assert.Equal(CheckoutSessionStatus.Unknown, session.Status);
    }

    [Theory]
    [InlineData("requires_payment_method", PaymentIntentStatus.RequiresPaymentMethod)]
    [InlineData("requires_confirmation", PaymentIntentStatus.RequiresConfirmation)]
    [InlineData("requires_action", PaymentIntentStatus.RequiresAction)]
    [InlineData("processing", PaymentIntentStatus.Processing)]
    [InlineData("requires_capture", PaymentIntentStatus.RequiresCapture)]
    [InlineData("canceled", PaymentIntentStatus.Canceled)]
    [InlineData("succeeded", PaymentIntentStatus.Succeeded)]
    [InlineData("Succeeded", PaymentIntentStatus.Unknown)]
    public void Payment_intent_statuses_read_by_their_stripe_names(string name, PaymentIntentStatus status)
    {
        var intent = Event($$"""{"id":"pi_1","object":"payment_intent","status":"{{name}}","amount":1,"currency":"usd"}""").ReadPaymentIntent();

        Assert.Equal(status, intent.Status);
        Assert.Equal(0, intent.AmountReceived);
        Assert.Null(intent.LatestCharge);
    }

    [Theory]
    [InlineData("warning_needs_response", DisputeStatus.WarningNeedsResponse)]
    [InlineData("warning_under_review", DisputeStatus.WarningUnderReview)]
    [InlineData("warning_closed", DisputeStatus.WarningClosed)]
    [InlineData("needs_response", DisputeStatus.NeedsResponse)]
    [InlineData("under_review", DisputeStatus.UnderReview)]
    [InlineData("won", DisputeStatus.Won)]
    [InlineData("lost", DisputeStatus.Lost)]
    [InlineData("prevented", DisputeStatus.Prevented)]
    public void Dispute_statuses_read_by_their_stripe_names(string name, DisputeStatus status)
    {
        var dispute = Event($$"""{"id":"dp_1","object":"dispute","amount":1,"currency":"usd","charge":"ch_1","status":"{{name}}","reason":"general"}""").ReadDispute();

        Assert.Equal(status, dispute.Status);
    }

    [Theory]
    [InlineData("paid", CheckoutSessionPaymentStatus.Paid)]
    [InlineData("unpaid", CheckoutSessionPaymentStatus.Unpaid)]
    [InlineData("no_payment_required", CheckoutSessionPaymentStatus.NoPaymentRequired)]
    public void Session_payment_statuses_read_by_their_stripe_names(string name, CheckoutSessionPaymentStatus status)
    {
        var session = Event($$"""{"id":"cs_1","object":"checkout.session","payment_status":"{{name}}","status":null}""").ReadCheckoutSession();

        Assert.Equal(status, session.PaymentStatus);
        Assert.Null(session.Status);
    }

    private static StripeEvent Event(string dataObject) =>
        StripeEvent.Parse(Encoding.UTF8.GetBytes(
            """{"id":"evt_read","type":"any.type","created":1767225600,"livemode":false,"data":{"object":""" + dataObject + "}}"));
}
