using System.Text.Json.Nodes;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary>
/// What happens on Stripe's side without the grid asking: the payer paying on the hosted Checkout page, or a session
/// expiring. Like Stripe, the stand-in changes its objects; it sends no webhooks (build those with
/// <see cref="Events.StripeEvents"/> from the objects returned here).
/// </summary>
public sealed partial class StripeStandIn
{
    /// <summary>
    /// The payer pays the open session by card: Checkout creates a PaymentIntent (with the session's
    /// <c>payment_intent_data</c> metadata) that succeeds with a charge, and the session becomes complete and paid,
    /// without a url. A session that saves the card (<c>setup_future_usage</c>) gets a new customer if it had none,
    /// and the card is saved on that customer, so off-session PaymentIntents with both then pay.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such session, or it is not open.</exception>
    public TestCheckoutSession CompleteCheckoutSession(string sessionId)
    {
        lock (_lock)
        {
            var session = OpenSession(sessionId);
            var intentData = _checkoutIntentData[sessionId];
            var customer = session["customer"]?.GetValue<string>();
            var paymentMethod = StripeTestIds.PaymentMethod();
            if (intentData.SetupFutureUsage is not null)
            {
                if (customer is null)
                {
                    customer = StripeTestIds.Customer();
                    _customers[customer] = [];
                }

                _customers[customer].Add(paymentMethod);
            }

            var amount = Integer(session, "amount_total");
            var currency = session["currency"]!.GetValue<string>();
            var intentId = StripeTestIds.PaymentIntent();
            var intent = NewPaymentIntent(
                intentId,
                amount,
                currency,
                customer,
                paymentMethod,
                (JsonObject)intentData.Metadata.DeepClone(),
                description: null,
                automaticPaymentMethods: null,
                "succeeded",
                intentData.SetupFutureUsage);
            intent["amount_received"] = amount;
            intent["latest_charge"] = NewCharge(
                intentId, amount, currency, customer, paymentMethod, (JsonObject)intentData.Metadata.DeepClone(), "4242", succeeded: true, null, null);
            _paymentIntents[intentId] = intent;

            session["customer"] = customer;
            session["customer_details"] = new JsonObject
            {
                ["address"] = new JsonObject
                {
                    ["city"] = null, ["country"] = "US", ["line1"] = null, ["line2"] = null, ["postal_code"] = "94103", ["state"] = null,
                },
                ["email"] = "payer@example.com",
                ["name"] = "Test Payer",
                ["phone"] = null,
                ["tax_exempt"] = "none",
                ["tax_ids"] = new JsonArray(),
            };
            session["payment_intent"] = intentId;
            session["payment_status"] = "paid";
            session["status"] = "complete";
            session["url"] = null;
            return ReadCheckoutSession(session);
        }
    }

    /// <summary>The open session expires unpaid, as it would 24 hours after its creation: status <c>expired</c>, no url.</summary>
    /// <exception cref="InvalidOperationException">There is no such session, or it is not open.</exception>
    public TestCheckoutSession ExpireCheckoutSession(string sessionId)
    {
        lock (_lock)
        {
            var session = OpenSession(sessionId);
            session["status"] = "expired";
            session["url"] = null;
            return ReadCheckoutSession(session);
        }
    }

    private JsonObject OpenSession(string sessionId)
    {
        if (!_checkoutSessions.TryGetValue(sessionId, out var session))
        {
            throw new InvalidOperationException($"The stand-in has no Checkout Session {sessionId}.");
        }

        var status = session["status"]!.GetValue<string>();
        return status == "open"
            ? session
            : throw new InvalidOperationException($"Checkout Session {sessionId} is {status}; only an open session can be paid or expire.");
    }
}
