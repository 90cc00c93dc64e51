using System.Text.Json.Nodes;

namespace Grid.Stripe.TestKit.StandIn;

/// <summary>
/// <c>POST /v1/payment_intents</c>, created and confirmed at once. The saved test cards decide the outcome:
/// <see cref="CardSucceeds"/> pays (a succeeded charge), <see cref="CardInsufficientFunds"/> is declined (a
/// failed charge, 402), <see cref="CardNeedsAuthentication"/> needs the absent customer (402, no charge).
/// </summary>
public sealed partial class StripeStandIn
{
    private StandInResponse CreatePaymentIntent(StandInForm form)
    {
        form.AllowOnly(
            "amount",
            "currency",
            "customer",
            "payment_method",
            "off_session",
            "confirm",
            "description",
            "return_url",
            @"automatic_payment_methods\[(enabled|allow_redirects)\]",
            @"payment_method_types\[\d+\]",
            @"metadata\[[^\[\]]+\]");

        var amount = form.RequiredInteger("amount");
        var currency = form.Required("currency");
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterLower))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest($"Invalid currency: {currency}", "currency"));
        }

        if (amount < 50)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest($"Amount must be at least $0.50 {currency}", "amount", "amount_too_small"));
        }

        var customer = form["customer"];
        if (customer is not null && !_customers.ContainsKey(customer))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest($"No such customer: '{customer}'", "customer", "resource_missing"));
        }

        var paymentMethod = form["payment_method"];
        if (paymentMethod is not null && (customer is null || !_customers[customer].Contains(paymentMethod)))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest($"No such PaymentMethod: '{paymentMethod}'", "payment_method", "resource_missing"));
        }

        var offSession = form.Boolean("off_session");
        var confirm = form.Boolean("confirm");
        if (offSession && !confirm)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest("`off_session` can only be used with `confirm=true`.", "off_session"));
        }

        if (confirm && paymentMethod is null)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                "You cannot confirm this PaymentIntent because it's missing a payment method.", "payment_method", "payment_intent_unexpected_state"));
        }

        var automaticMethods = form.Boolean("automatic_payment_methods[enabled]");
        var allowRedirects = form["automatic_payment_methods[allow_redirects]"];
        if (allowRedirects is not (null or "always" or "never"))
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                "Invalid automatic_payment_methods[allow_redirects]: must be one of always or never", "automatic_payment_methods[allow_redirects]"));
        }

        var methodTypes = form.List("payment_method_types");
        if (automaticMethods && methodTypes.Count > 0)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                "You may only specify one of these parameters: automatic_payment_methods, payment_method_types.", "automatic_payment_methods"));
        }

        // Under API versions since 2023-08-16 payment methods default to the dashboard's, some of which redirect.
        if (confirm && methodTypes.Count == 0 && allowRedirects != "never" && form["return_url"] is null)
        {
            throw new StandInRejection(StandInResponse.InvalidRequest(
                "This PaymentIntent is configured to accept payment methods enabled in your Dashboard. Because some of these payment methods might redirect your customer off of your page, you must provide a `return_url`. If you don't want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
                "return_url"));
        }

        var metadata = ToJson(form.Metadata("metadata"));
        var id = StripeTestIds.PaymentIntent();
        var intent = NewPaymentIntent(
            id,
            amount,
            currency,
            customer,
            paymentMethod,
            metadata,
            form["description"],
            automaticMethods ? new JsonObject { ["allow_redirects"] = allowRedirects ?? "always", ["enabled"] = true } : null,
            confirm ? "processing" : "requires_confirmation",
            setupFutureUsage: null);
        _paymentIntents[id] = intent;
        if (!confirm)
        {
            return StandInResponse.Ok(intent);
        }

        switch (paymentMethod)
        {
            case CardInsufficientFunds:
                {
                    const string message = "Your card has insufficient funds.";
                    var charge = NewCharge(id, amount, currency, customer, paymentMethod, (JsonObject)metadata.DeepClone(), "9995", succeeded: false, "card_declined", message);
                    var error = new JsonObject
                    {
                        ["charge"] = charge,
                        ["code"] = "card_declined",
                        ["decline_code"] = "insufficient_funds",
                        ["doc_url"] = "https://stripe.com/docs/error-codes/card-declined",
                        ["message"] = message,
                        ["type"] = "card_error",
                    };
                    return Decline(intent, error, charge);
                }

            case CardNeedsAuthentication:
                {
                    var error = new JsonObject
                    {
                        ["code"] = "authentication_required",
                        ["decline_code"] = "authentication_required",
                        ["doc_url"] = "https://stripe.com/docs/error-codes/authentication-required",
                        ["message"] = "Your card was declined. This transaction requires authentication.",
                        ["type"] = "card_error",
                    };
                    return Decline(intent, error, chargeId: null);
                }

            default:
                {
                    var charge = NewCharge(id, amount, currency, customer, paymentMethod!, (JsonObject)metadata.DeepClone(), "4242", succeeded: true, null, null);
                    intent["status"] = "succeeded";
                    intent["amount_received"] = amount;
                    intent["latest_charge"] = charge;
                    return StandInResponse.Ok(intent);
                }
        }
    }

    private JsonObject NewPaymentIntent(
        string id,
        long amount,
        string currency,
        string? customer,
        string? paymentMethod,
        JsonObject metadata,
        string? description,
        JsonObject? automaticPaymentMethods,
        string status,
        string? setupFutureUsage) =>
        new()
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_capturable"] = 0,
            ["amount_details"] = new JsonObject { ["tip"] = new JsonObject() },
            ["amount_received"] = 0,
            ["application"] = null,
            ["automatic_payment_methods"] = automaticPaymentMethods,
            ["canceled_at"] = null,
            ["cancellation_reason"] = null,
            ["capture_method"] = "automatic_async",
            ["client_secret"] = $"{id}_secret_{StripeTestIds.Random(25)}",
            ["confirmation_method"] = "automatic",
            ["created"] = Now(),
            ["currency"] = currency,
            ["customer"] = customer,
            ["description"] = description,
            ["invoice"] = null,
            ["last_payment_error"] = null,
            ["latest_charge"] = null,
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = paymentMethod,
            ["payment_method_options"] = new JsonObject
            {
                ["card"] = new JsonObject { ["installments"] = null, ["mandate_options"] = null, ["network"] = null, ["request_three_d_secure"] = "automatic" },
            },
            ["payment_method_types"] = new JsonArray("card"),
            ["processing"] = null,
            ["receipt_email"] = null,
            ["review"] = null,
            ["setup_future_usage"] = setupFutureUsage,
            ["shipping"] = null,
            ["source"] = null,
            ["statement_descriptor"] = null,
            ["status"] = status,
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };

    /// <summary>A declined off-session confirmation: the PaymentIntent stays, waiting for another payment method; the answer is a 402 naming it.</summary>
    private static StandInResponse Decline(JsonObject intent, JsonObject error, string? chargeId)
    {
        var paymentMethod = (string)intent["payment_method"]!;
        intent["status"] = "requires_payment_method";
        intent["latest_charge"] = chargeId;
        intent["payment_method"] = null;
        var lastError = (JsonObject)error.DeepClone();
        lastError["payment_method"] = new JsonObject { ["id"] = paymentMethod, ["object"] = "payment_method", ["type"] = "card" };
        intent["last_payment_error"] = lastError;

        var answer = (JsonObject)error.DeepClone();
        answer["payment_intent"] = intent.DeepClone();
        answer["payment_method"] = new JsonObject { ["id"] = paymentMethod, ["object"] = "payment_method", ["type"] = "card" };
        return new StandInResponse(402, new JsonObject { ["error"] = answer });
    }

    private string NewCharge(
        string paymentIntentId,
        long amount,
        string currency,
        string? customer,
        string paymentMethod,
        JsonObject metadata,
        string last4,
        bool succeeded,
        string? failureCode,
        string? failureMessage)
    {
        var id = StripeTestIds.Charge();
        _charges[id] = new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = succeeded ? amount : 0,
            ["amount_refunded"] = 0,
            ["balance_transaction"] = succeeded ? StripeTestIds.BalanceTransaction() : null,
            ["billing_details"] = new JsonObject { ["address"] = null, ["email"] = null, ["name"] = null, ["phone"] = null },
            ["captured"] = succeeded,
            ["created"] = Now(),
            ["currency"] = currency,
            ["customer"] = customer,
            ["description"] = null,
            ["disputed"] = false,
            ["failure_code"] = failureCode,
            ["failure_message"] = failureMessage,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = metadata,
            ["outcome"] = succeeded
                ? new JsonObject
                {
                    ["network_status"] = "approved_by_network", ["reason"] = null, ["risk_level"] = "normal", ["risk_score"] = 12,
                    ["seller_message"] = "Payment complete.", ["type"] = "authorized",
                }
                : new JsonObject
                {
                    ["network_status"] = "declined_by_network", ["reason"] = "insufficient_funds", ["risk_level"] = "normal", ["risk_score"] = 12,
                    ["seller_message"] = "The bank returned the decline code `insufficient_funds`.", ["type"] = "issuer_declined",
                },
            ["paid"] = succeeded,
            ["payment_intent"] = paymentIntentId,
            ["payment_method"] = paymentMethod,
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject { ["brand"] = "visa", ["country"] = "US", ["exp_month"] = 12, ["exp_year"] = 2034, ["funding"] = "credit", ["last4"] = last4 },
                ["type"] = "card",
            },
            ["refunded"] = false,
            ["status"] = succeeded ? "succeeded" : "failed",
        };
        return id;
    }
}
