using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Stripe.Events;
using Grid.Stripe.TestKit.Objects;

namespace Grid.Stripe.TestKit.Events;

/// <summary>
/// Webhook bodies of the events the grid acts on, as Stripe sends them under API version 2024-06-20: the envelope
/// (<c>evt_…</c> id, <c>"object": "event"</c>, api_version, created, livemode false, pending_webhooks, request, type)
/// around the object the event is about. The caller names every id, so a test knows what the grid will see; each
/// builder sets the statuses its event type implies. <c>created</c> is the event's time (default: now); the object
/// was created a minute before it (a day before, for an expired session).
/// </summary>
public static class StripeEvents
{
    /// <summary>The API version the bodies are rendered in, the one the grid pins.</summary>
    public const string ApiVersion = "2024-06-20";

    // As Stripe writes bodies: indented by two spaces, non-ASCII text as raw UTF-8.
    private static readonly JsonSerializerOptions AsStripeWrites = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The payer finished Checkout: by card, <c>payment_status</c> <c>paid</c>; by a delayed method, <c>unpaid</c> until an async event.</summary>
    public static string CheckoutSessionCompleted(string eventId, TestCheckoutSession session, bool paid = true, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Session(eventId, StripeEventTypes.CheckoutSessionCompleted, session with { Status = "complete", PaymentStatus = paid ? "paid" : "unpaid", Url = null }, created);
    }

    /// <summary>The delayed payment of a completed session succeeded: <c>payment_status</c> <c>paid</c>.</summary>
    public static string CheckoutSessionAsyncPaymentSucceeded(string eventId, TestCheckoutSession session, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Session(eventId, StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded, session with { Status = "complete", PaymentStatus = "paid", Url = null }, created);
    }

    /// <summary>The delayed payment of a completed session failed: still <c>unpaid</c>.</summary>
    public static string CheckoutSessionAsyncPaymentFailed(string eventId, TestCheckoutSession session, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        return Session(eventId, StripeEventTypes.CheckoutSessionAsyncPaymentFailed, session with { Status = "complete", PaymentStatus = "unpaid", Url = null }, created);
    }

    /// <summary>The session expired unpaid (24 hours after it was created, or when expired through the API).</summary>
    public static string CheckoutSessionExpired(string eventId, TestCheckoutSession session, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        var at = created ?? TimeProvider.System.GetUtcNow();
        var expired = session with { Status = "expired", PaymentStatus = "unpaid", Url = null };
        return Envelope(eventId, StripeEventTypes.CheckoutSessionExpired, StripeObjectJson.CheckoutSession(expired, at.AddHours(-24)), at, null, null);
    }

    /// <summary>
    /// A PaymentIntent succeeded: <c>status</c> <c>succeeded</c>, the whole amount received. Give
    /// <paramref name="request"/> for one the grid created and confirmed through the API (an off-session payment).
    /// </summary>
    public static string PaymentIntentSucceeded(string eventId, TestPaymentIntent intent, DateTimeOffset? created = null, StripeEventRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var at = created ?? TimeProvider.System.GetUtcNow();
        var succeeded = intent with { Status = "succeeded", AmountReceived = intent.Amount };
        return Envelope(eventId, StripeEventTypes.PaymentIntentSucceeded, StripeObjectJson.PaymentIntent(succeeded, at.AddMinutes(-1)), at, null, request);
    }

    /// <summary>
    /// A payment attempt failed: as Stripe leaves it, <c>status</c> <c>requires_payment_method</c>, nothing received,
    /// <c>payment_method</c> cleared and the declined card named in <c>last_payment_error</c> (with
    /// <paramref name="declineCode"/>, e.g. <c>insufficient_funds</c>, <c>authentication_required</c>).
    /// </summary>
    public static string PaymentIntentPaymentFailed(
        string eventId,
        TestPaymentIntent intent,
        string declineCode = "insufficient_funds",
        DateTimeOffset? created = null,
        StripeEventRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        var at = created ?? TimeProvider.System.GetUtcNow();
        var code = declineCode == "authentication_required" ? "authentication_required" : "card_declined";
        var error = new JsonObject
        {
            ["charge"] = intent.LatestChargeId,
            ["code"] = code,
            ["decline_code"] = declineCode,
            ["doc_url"] = "https://stripe.com/docs/error-codes/" + code.Replace('_', '-'),
            ["message"] = declineCode switch
            {
                "insufficient_funds" => "Your card has insufficient funds.",
                "authentication_required" => "Your card was declined. This transaction requires authentication.",
                _ => "Your card was declined.",
            },
            ["payment_method"] = new JsonObject
            {
                ["id"] = intent.PaymentMethodId,
                ["object"] = "payment_method",
                ["card"] = new JsonObject { ["brand"] = "visa", ["country"] = "US", ["exp_month"] = 12, ["exp_year"] = 2034, ["funding"] = "credit", ["last4"] = "9995" },
                ["customer"] = intent.CustomerId,
                ["type"] = "card",
            },
            ["type"] = "card_error",
        };
        var failed = intent with { Status = "requires_payment_method", AmountReceived = 0, PaymentMethodId = null };
        return Envelope(eventId, StripeEventTypes.PaymentIntentPaymentFailed, StripeObjectJson.PaymentIntent(failed, at.AddMinutes(-1), error), at, null, request);
    }

    /// <summary>
    /// A charge was refunded, wholly or in part: its <c>amount_refunded</c> is the running total (the charge's
    /// <see cref="TestCharge.AmountRefunded"/>), <c>refunded</c> true once it reaches the amount;
    /// <c>previous_attributes</c> holds <paramref name="previousAmountRefunded"/>.
    /// </summary>
    public static string ChargeRefunded(
        string eventId,
        TestCharge charge,
        long previousAmountRefunded = 0,
        DateTimeOffset? created = null,
        StripeEventRequest? request = null)
    {
        ArgumentNullException.ThrowIfNull(charge);
        var at = created ?? TimeProvider.System.GetUtcNow();
        var previous = new JsonObject { ["amount_refunded"] = previousAmountRefunded };
        if (charge.Refunded && previousAmountRefunded < charge.Amount)
        {
            previous["refunded"] = false;
        }

        return Envelope(eventId, StripeEventTypes.ChargeRefunded, StripeObjectJson.Charge(charge, at.AddMinutes(-1)), at, previous, request);
    }

    /// <summary>
    /// A refund of a charge changed (<c>charge.refund.updated</c>, or <paramref name="type"/> for the refund events of
    /// newer API versions): its <c>previous_attributes</c> hold the status it had before, <c>pending</c>.
    /// </summary>
    public static string ChargeRefundUpdated(string eventId, TestRefund refund, DateTimeOffset? created = null, string type = StripeEventTypes.ChargeRefundUpdated)
    {
        ArgumentNullException.ThrowIfNull(refund);
        var at = created ?? TimeProvider.System.GetUtcNow();
        var previous = new JsonObject { ["status"] = "pending" };
        if (refund.FailureReason is not null)
        {
            previous["failure_reason"] = null;
        }

        return Envelope(eventId, type, StripeObjectJson.Refund(refund, at.AddDays(-3)), at, previous, null);
    }

    /// <summary>The cardholder disputed a charge: <c>status</c> <c>needs_response</c>, the amount withdrawn.</summary>
    public static string ChargeDisputeCreated(string eventId, TestDispute dispute, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        var at = created ?? TimeProvider.System.GetUtcNow();
        return Envelope(eventId, StripeEventTypes.ChargeDisputeCreated, StripeObjectJson.Dispute(dispute with { Status = "needs_response" }, at), at, null, null);
    }

    /// <summary>A dispute was decided: <c>status</c> <c>won</c> (the amount comes back) or <c>lost</c>.</summary>
    public static string ChargeDisputeClosed(string eventId, TestDispute dispute, bool won, DateTimeOffset? created = null)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        var at = created ?? TimeProvider.System.GetUtcNow();
        var closed = dispute with { Status = won ? "won" : "lost" };
        var previous = new JsonObject { ["status"] = "under_review" };
        return Envelope(eventId, StripeEventTypes.ChargeDisputeClosed, StripeObjectJson.Dispute(closed, at.AddDays(-30)), at, previous, null);
    }

    /// <summary>Any event: the envelope around <paramref name="dataObject"/> (e.g. from <see cref="StripeObjectJson"/>, changed as the test needs).</summary>
    public static string Event(
        string eventId,
        string type,
        JsonObject dataObject,
        DateTimeOffset? created = null,
        JsonObject? previousAttributes = null,
        StripeEventRequest? request = null) =>
        Envelope(eventId, type, dataObject, created ?? TimeProvider.System.GetUtcNow(), previousAttributes, request);

    private static string Session(string eventId, string type, TestCheckoutSession session, DateTimeOffset? created)
    {
        var at = created ?? TimeProvider.System.GetUtcNow();
        return Envelope(eventId, type, StripeObjectJson.CheckoutSession(session, at.AddMinutes(-1)), at, null, null);
    }

    private static string Envelope(string eventId, string type, JsonObject dataObject, DateTimeOffset created, JsonObject? previousAttributes, StripeEventRequest? request)
    {
        ArgumentException.ThrowIfNullOrEmpty(eventId);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentNullException.ThrowIfNull(dataObject);
        var data = new JsonObject { ["object"] = dataObject };
        if (previousAttributes is not null)
        {
            data["previous_attributes"] = previousAttributes;
        }

        var envelope = new JsonObject
        {
            ["id"] = eventId,
            ["object"] = "event",
            ["api_version"] = ApiVersion,
            ["created"] = created.ToUnixTimeSeconds(),
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 1,
            // Events no API request caused (a payer in Checkout, a bank's dispute) carry nulls here.
            ["request"] = new JsonObject { ["id"] = request?.Id, ["idempotency_key"] = request?.IdempotencyKey },
            ["type"] = type,
        };
        return envelope.ToJsonString(AsStripeWrites);
    }
}
