using System.Text;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;

namespace Grid.Stripe.Tests.Events;

/// <summary>Expandable fields read as the related object's id, whether Stripe sent the id or the expanded object.</summary>
public sealed class StripeExpandableFieldTests
{
    [Fact]
    public void A_session_with_its_payment_intent_and_customer_expanded()
    {
        // The expanded PaymentIntent holds objects with ids of their own before its own id: only the top-level id counts.
        var session = Event("checkout.session.completed", """
            {
              "id": "cs_test_expanded",
              "object": "checkout.session",
              "payment_status": "paid",
              "status": "complete",
              "amount_total": 1000,
              "currency": "eur",
              "metadata": {},
              "payment_intent": {
                "object": "payment_intent",
                "latest_charge": { "id": "ch_nested", "object": "charge", "outcome": { "id": null } },
                "payment_method": { "id": "pm_nested", "card": { "brand": "visa" } },
                "amount": 1000,
                "id": "pi_expanded",
                "status": "succeeded"
              },
              "customer": { "id": "cus_deleted", "object": "customer", "deleted": true }
            }
            """).ReadCheckoutSession();

        Assert.Equal("pi_expanded", session.PaymentIntent);
        Assert.Equal("cus_deleted", session.Customer);
        Assert.Empty(session.Metadata);
        Assert.Null(session.ClientReferenceId);
    }

    [Fact]
    public void A_payment_intent_with_charge_customer_and_payment_method_expanded()
    {
        var intent = Event("payment_intent.succeeded", """
            {
              "id": "pi_x", "object": "payment_intent", "status": "succeeded", "amount": 500, "amount_received": 500, "currency": "usd",
              "metadata": { "payment_id": "pay_1" },
              "latest_charge": { "id": "ch_x", "object": "charge", "amount": 500, "payment_intent": "pi_x" },
              "customer": { "id": "cus_x", "object": "customer", "email": "a@example.com", "metadata": { "id": "not-this" } },
              "payment_method": { "id": "pm_x", "object": "payment_method", "type": "card" }
            }
            """).ReadPaymentIntent();

        Assert.Equal(("ch_x", "cus_x", "pm_x"), (intent.LatestCharge, intent.Customer, intent.PaymentMethod));
    }

    [Fact]
    public void A_charge_with_its_payment_intent_expanded_and_a_dispute_with_its_charge_expanded()
    {
        var charge = Event("charge.refunded", """
            {"id":"ch_y","object":"charge","amount":900,"amount_refunded":900,"refunded":true,"currency":"usd","metadata":{},
             "payment_intent":{"id":"pi_y","object":"payment_intent","metadata":{"payment_id":"pay_2"}}}
            """).ReadCharge();
        var dispute = Event("charge.dispute.created", """
            {"id":"dp_y","object":"dispute","amount":900,"currency":"usd","status":"warning_needs_response","reason":"general",
             "charge":{"id":"ch_y","object":"charge","amount":900,"refunds":{"object":"list","data":[{"id":"re_1"}]}},
             "payment_intent":null}
            """).ReadDispute();

        Assert.Equal("pi_y", charge.PaymentIntent);
        Assert.True(charge.Refunded);
        Assert.Equal("ch_y", dispute.Charge);
        Assert.Null(dispute.PaymentIntent);
        Assert.Equal(DisputeStatus.WarningNeedsResponse, dispute.Status);
    }

    [Theory]
    [InlineData("""{"object":"payment_intent","amount":1}""", "no id")]
    [InlineData("""{"id":42}""", "not a string")]
    [InlineData("42", "expected an id or an expanded object")]
    [InlineData("true", "expected an id or an expanded object")]
    [InlineData("""["pi_1"]""", "expected an id or an expanded object")]
    public void An_expandable_field_that_is_neither_an_id_nor_an_object_with_one_is_refused(string value, string message)
    {
        var stripeEvent = Event("checkout.session.completed", $$"""
            {"id":"cs_1","object":"checkout.session","payment_status":"paid","payment_intent":{{value}}}
            """);

        var error = Assert.Throws<StripeEventFormatException>(stripeEvent.ReadCheckoutSession);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("evt_expand", error.Message, StringComparison.Ordinal);
    }

    private static StripeEvent Event(string type, string dataObject) =>
        StripeEvent.Parse(Encoding.UTF8.GetBytes(
            $$"""{"id":"evt_expand","object":"event","type":"{{type}}","created":1767225600,"livemode":true,"data":{"object":""" + dataObject + "}}"));
}
