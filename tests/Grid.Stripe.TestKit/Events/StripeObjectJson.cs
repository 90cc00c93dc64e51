using System.Text.Json.Nodes;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Stripe.TestKit.Events;

/// <summary>
/// Stripe objects as API version 2024-06-20 renders them in events, built from the test's description of them: every
/// member Stripe sends, with the values a test-mode card payment has where the description says nothing. Ids of
/// objects the description does not name (balance transactions, a payment method) derive from the object's id, so
/// the same description always gives the same JSON.
/// </summary>
public static class StripeObjectJson
{
    /// <summary>A <c>checkout.session</c> in payment mode with one line item; its status, payment status and url are the description's.</summary>
    public static JsonObject CheckoutSession(TestCheckoutSession session, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(session);
        var open = session.Status == "open";
        return new JsonObject
        {
            ["id"] = session.Id,
            ["object"] = "checkout.session",
            ["after_expiration"] = null,
            ["allow_promotion_codes"] = null,
            ["amount_subtotal"] = session.AmountTotal,
            ["amount_total"] = session.AmountTotal,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null, ["status"] = null },
            ["billing_address_collection"] = null,
            ["cancel_url"] = session.CancelUrl,
            ["client_reference_id"] = session.ClientReferenceId,
            ["client_secret"] = null,
            ["consent"] = null,
            ["consent_collection"] = null,
            ["created"] = created.ToUnixTimeSeconds(),
            ["currency"] = session.Currency,
            ["currency_conversion"] = null,
            ["custom_fields"] = new JsonArray(),
            ["custom_text"] = new JsonObject
            {
                ["after_submit"] = null, ["shipping_address"] = null, ["submit"] = null, ["terms_of_service_acceptance"] = null,
            },
            ["customer"] = session.CustomerId,
            ["customer_creation"] = session.CustomerId is null ? "if_required" : null,
            // Stripe fills in what the payer typed once they submit.
            ["customer_details"] = open || session.Status == "expired"
                ? null
                : new JsonObject
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
                },
            ["customer_email"] = null,
            ["expires_at"] = created.AddHours(24).ToUnixTimeSeconds(),
            ["invoice"] = null,
            ["invoice_creation"] = new JsonObject
            {
                ["enabled"] = false,
                ["invoice_data"] = new JsonObject
                {
                    ["account_tax_ids"] = null, ["custom_fields"] = null, ["description"] = null, ["footer"] = null,
                    ["issuer"] = null, ["metadata"] = new JsonObject(), ["rendering_options"] = null,
                },
            },
            ["livemode"] = false,
            ["locale"] = null,
            ["metadata"] = Metadata(session.Metadata),
            ["mode"] = "payment",
            ["payment_intent"] = session.PaymentIntentId,
            ["payment_link"] = null,
            ["payment_method_collection"] = "if_required",
            ["payment_method_configuration_details"] = null,
            ["payment_method_options"] = new JsonObject { ["card"] = new JsonObject { ["request_three_d_secure"] = "automatic" } },
            ["payment_method_types"] = new JsonArray("card"),
            ["payment_status"] = session.PaymentStatus,
            ["phone_number_collection"] = new JsonObject { ["enabled"] = false },
            ["recovered_from"] = null,
            ["saved_payment_method_options"] = null,
            ["setup_intent"] = null,
            ["shipping_address_collection"] = null,
            ["shipping_cost"] = null,
            ["shipping_details"] = null,
            ["shipping_options"] = new JsonArray(),
            ["status"] = session.Status,
            ["submit_type"] = null,
            ["subscription"] = null,
            ["success_url"] = session.SuccessUrl ?? "https://example.com/success",
            ["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 },
            ["ui_mode"] = "hosted",
            ["url"] = session.Url,
        };
    }

    /// <summary>A <c>payment_intent</c> paid by card; its status and amounts are the description's.</summary>
    /// <param name="lastPaymentError">The error of a failed attempt, as Stripe puts it in <c>last_payment_error</c>.</param>
    public static JsonObject PaymentIntent(TestPaymentIntent intent, DateTimeOffset created, JsonObject? lastPaymentError = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        return new JsonObject
        {
            ["id"] = intent.Id,
            ["object"] = "payment_intent",
            ["amount"] = intent.Amount,
            ["amount_capturable"] = 0,
            ["amount_details"] = new JsonObject { ["tip"] = new JsonObject() },
            ["amount_received"] = intent.AmountReceived,
            ["application"] = null,
            ["application_fee_amount"] = null,
            ["automatic_payment_methods"] = null,
            ["canceled_at"] = null,
            ["cancellation_reason"] = null,
            ["capture_method"] = "automatic_async",
            ["client_secret"] = $"{intent.Id}_secret_{Suffix(intent.Id)}",
            ["confirmation_method"] = "automatic",
            ["created"] = created.ToUnixTimeSeconds(),
            ["currency"] = intent.Currency,
            ["customer"] = intent.CustomerId,
            ["description"] = null,
            ["invoice"] = null,
            ["last_payment_error"] = lastPaymentError,
            ["latest_charge"] = intent.LatestChargeId,
            ["livemode"] = false,
            ["metadata"] = Metadata(intent.Metadata),
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = intent.PaymentMethodId,
            ["payment_method_configuration_details"] = null,
            ["payment_method_options"] = new JsonObject
            {
                ["card"] = new JsonObject { ["installments"] = null, ["mandate_options"] = null, ["network"] = null, ["request_three_d_secure"] = "automatic" },
            },
            ["payment_method_types"] = new JsonArray("card"),
            ["processing"] = null,
            ["receipt_email"] = null,
            ["review"] = null,
            ["setup_future_usage"] = intent.SetupFutureUsage,
            ["shipping"] = null,
            ["source"] = null,
            ["statement_descriptor"] = null,
            ["statement_descriptor_suffix"] = null,
            ["status"] = intent.Status,
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
    }

    /// <summary>A captured card <c>charge</c> (or a failed one, by the description's status).</summary>
    public static JsonObject Charge(TestCharge charge, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var succeeded = charge.Status == "succeeded";
        return new JsonObject
        {
            ["id"] = charge.Id,
            ["object"] = "charge",
            ["amount"] = charge.Amount,
            ["amount_captured"] = succeeded ? charge.Amount : 0,
            ["amount_refunded"] = charge.AmountRefunded,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = null,
            ["balance_transaction"] = succeeded ? "txn_" + Suffix(charge.Id) : null,
            ["billing_details"] = new JsonObject
            {
                ["address"] = new JsonObject
                {
                    ["city"] = null, ["country"] = "US", ["line1"] = null, ["line2"] = null, ["postal_code"] = "94103", ["state"] = null,
                },
                ["email"] = "payer@example.com",
                ["name"] = "Test Payer",
                ["phone"] = null,
            },
            ["calculated_statement_descriptor"] = "CREDIT GRID",
            ["captured"] = succeeded,
            ["created"] = created.ToUnixTimeSeconds(),
            ["currency"] = charge.Currency,
            ["customer"] = charge.CustomerId,
            ["description"] = null,
            ["destination"] = null,
            ["dispute"] = null,
            ["disputed"] = false,
            ["failure_balance_transaction"] = null,
            ["failure_code"] = succeeded ? null : "card_declined",
            ["failure_message"] = succeeded ? null : "Your card has insufficient funds.",
            ["fraud_details"] = new JsonObject(),
            ["invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = Metadata(charge.Metadata),
            ["on_behalf_of"] = null,
            ["outcome"] = new JsonObject
            {
                ["network_status"] = succeeded ? "approved_by_network" : "declined_by_network",
                ["reason"] = succeeded ? null : "insufficient_funds",
                ["risk_level"] = "normal",
                ["risk_score"] = 32,
                ["seller_message"] = succeeded ? "Payment complete." : "The bank returned the decline code `insufficient_funds`.",
                ["type"] = succeeded ? "authorized" : "issuer_declined",
            },
            ["paid"] = succeeded,
            ["payment_intent"] = charge.PaymentIntentId,
            ["payment_method"] = charge.PaymentMethodId ?? "pm_" + Suffix(charge.Id),
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["amount_authorized"] = charge.Amount,
                    ["brand"] = "visa",
                    ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = "pass", ["cvc_check"] = "pass" },
                    ["country"] = "US",
                    ["exp_month"] = 12,
                    ["exp_year"] = 2034,
                    ["funding"] = "credit",
                    ["last4"] = succeeded ? "4242" : "9995",
                    ["network"] = "visa",
                    ["three_d_secure"] = null,
                    ["wallet"] = null,
                },
                ["type"] = "card",
            },
            ["radar_options"] = new JsonObject(),
            ["receipt_email"] = null,
            ["receipt_number"] = null,
            ["receipt_url"] = $"https://pay.stripe.com/receipts/payment/{Suffix(charge.Id)}",
            ["refunded"] = charge.Refunded,
            ["review"] = null,
            ["shipping"] = null,
            ["source"] = null,
            ["source_transfer"] = null,
            ["statement_descriptor"] = null,
            ["statement_descriptor_suffix"] = null,
            ["status"] = charge.Status,
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
    }

    /// <summary>
    /// A card <c>dispute</c> (a chargeback) with its status from the description; its balance transactions are the
    /// withdrawal of the amount (and the dispute fee) and, once won, the amount's reinstatement.
    /// </summary>
    public static JsonObject Dispute(TestDispute dispute, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        const long fee = 1500;
        var transactions = new JsonArray(
            DisputeTransaction("txn_" + Suffix(dispute.Id), dispute.Id, -dispute.Amount, fee, dispute.Currency, created, $"Chargeback withdrawal for {dispute.ChargeId}"));
        if (dispute.Status == "won")
        {
            transactions.Add(DisputeTransaction("txn_2" + Suffix(dispute.Id), dispute.Id, dispute.Amount, 0, dispute.Currency, created.AddDays(30), $"Chargeback reversal for {dispute.ChargeId}"));
        }

        var closed = dispute.Status is "won" or "lost" or "warning_closed";
        return new JsonObject
        {
            ["id"] = dispute.Id,
            ["object"] = "dispute",
            ["amount"] = dispute.Amount,
            ["balance_transactions"] = transactions,
            ["charge"] = dispute.ChargeId,
            ["created"] = created.ToUnixTimeSeconds(),
            ["currency"] = dispute.Currency,
            ["evidence"] = new JsonObject
            {
                ["access_activity_log"] = null, ["billing_address"] = null, ["cancellation_policy"] = null, ["cancellation_policy_disclosure"] = null,
                ["cancellation_rebuttal"] = null, ["customer_communication"] = null, ["customer_email_address"] = null, ["customer_name"] = null,
                ["customer_purchase_ip"] = null, ["customer_signature"] = null, ["duplicate_charge_documentation"] = null,
                ["duplicate_charge_explanation"] = null, ["duplicate_charge_id"] = null, ["product_description"] = null, ["receipt"] = null,
                ["refund_policy"] = null, ["refund_policy_disclosure"] = null, ["refund_refusal_explanation"] = null, ["service_date"] = null,
                ["service_documentation"] = null, ["shipping_address"] = null, ["shipping_carrier"] = null, ["shipping_date"] = null,
                ["shipping_documentation"] = null, ["shipping_tracking_number"] = null, ["uncategorized_file"] = null,
                ["uncategorized_text"] = closed ? "Credits were bought and used by the cardholder." : null,
            },
            ["evidence_details"] = new JsonObject
            {
                ["due_by"] = created.AddDays(21).ToUnixTimeSeconds(),
                ["has_evidence"] = closed,
                ["past_due"] = false,
                ["submission_count"] = closed ? 1 : 0,
            },
            ["is_charge_refundable"] = false,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = dispute.PaymentIntentId,
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject { ["brand"] = "visa", ["case_type"] = "chargeback", ["network_reason_code"] = "10.4" },
                ["type"] = "card",
            },
            ["reason"] = dispute.Reason,
            ["status"] = dispute.Status,
        };
    }

    /// <summary>A card <c>refund</c>; a failed one carries its failure reason and the balance transaction that gave the money back to the merchant.</summary>
    public static JsonObject Refund(TestRefund refund, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var failed = refund.Status == "failed";
        return new JsonObject
        {
            ["id"] = refund.Id,
            ["object"] = "refund",
            ["amount"] = refund.Amount,
            ["balance_transaction"] = "txn_" + Suffix(refund.Id),
            ["charge"] = refund.ChargeId,
            ["created"] = created.ToUnixTimeSeconds(),
            ["currency"] = refund.Currency,
            ["destination_details"] = new JsonObject
            {
                ["card"] = new JsonObject { ["reference_status"] = failed ? "unavailable" : "pending", ["reference_type"] = "acquirer_reference_number", ["type"] = "refund" },
                ["type"] = "card",
            },
            ["failure_balance_transaction"] = failed ? "txn_2" + Suffix(refund.Id) : null,
            ["failure_reason"] = refund.FailureReason,
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = refund.PaymentIntentId,
            ["reason"] = "requested_by_customer",
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = refund.Status,
            ["transfer_reversal"] = null,
        };
    }

    internal static JsonObject Metadata(IReadOnlyDictionary<string, string> entries)
    {
        var json = new JsonObject();
        foreach (var (key, value) in entries)
        {
            json[key] = value;
        }

        return json;
    }

    private static JsonObject DisputeTransaction(string id, string disputeId, long amount, long fee, string currency, DateTimeOffset created, string description) => new()
    {
        ["id"] = id,
        ["object"] = "balance_transaction",
        ["amount"] = amount,
        ["available_on"] = created.AddDays(2).ToUnixTimeSeconds(),
        ["created"] = created.ToUnixTimeSeconds(),
        ["currency"] = currency,
        ["description"] = description,
        ["fee"] = fee,
        ["fee_details"] = fee == 0
            ? new JsonArray()
            : new JsonArray(new JsonObject
            {
                ["amount"] = fee, ["application"] = null, ["currency"] = currency, ["description"] = "Dispute fee", ["type"] = "stripe_fee",
            }),
        ["net"] = amount - fee,
        ["reporting_category"] = "dispute",
        ["source"] = disputeId,
        ["status"] = "pending",
        ["type"] = "adjustment",
    };

    /// <summary>The part of an id after its prefix, for ids that derive from it.</summary>
    private static string Suffix(string id) => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..];
}
