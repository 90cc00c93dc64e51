using System.Text.RegularExpressions;
using Grid.Contracts.Payments;
using Grid.Stripe.Events;
using Grid.Stripe.Events.Objects;

namespace Grid.Gateway.Payments;

/// <summary>
/// Reads the Stripe events the grid acts on into <see cref="CardPaymentEvent"/>s; any other type is not acted on
/// (null). Stripe ids are checked for shape because they become parts of ledger operation ids.
/// </summary>
internal static partial class StripeEventTranslator
{
    /// <summary>The event as a card event, or null for a type the grid does not act on.</summary>
    /// <exception cref="StripeEventFormatException">A type the grid acts on whose object lacks what it needs.</exception>
    public static TranslatedEvent? Translate(StripeEvent stripeEvent)
    {
        ArgumentNullException.ThrowIfNull(stripeEvent);
        var translated = stripeEvent.Type switch
        {
            StripeEventTypes.CheckoutSessionCompleted => Session(stripeEvent, null),
            StripeEventTypes.CheckoutSessionAsyncPaymentSucceeded => Session(stripeEvent, CardEventKind.Paid),
            StripeEventTypes.CheckoutSessionAsyncPaymentFailed => Session(stripeEvent, CardEventKind.Failed),
            StripeEventTypes.CheckoutSessionExpired => Session(stripeEvent, CardEventKind.Expired),
            StripeEventTypes.PaymentIntentSucceeded => Intent(stripeEvent, CardEventKind.Paid),
            StripeEventTypes.PaymentIntentPaymentFailed => Intent(stripeEvent, CardEventKind.Failed),
            StripeEventTypes.ChargeRefunded => Refund(stripeEvent),
            StripeEventTypes.ChargeRefundUpdated or StripeEventTypes.RefundUpdated or StripeEventTypes.RefundFailed => RefundChange(stripeEvent),
            StripeEventTypes.ChargeDisputeCreated => DisputeEvent(stripeEvent, closed: false),
            StripeEventTypes.ChargeDisputeClosed => DisputeEvent(stripeEvent, closed: true),
            _ => null,
        };
        if (translated is not null)
        {
            var e = translated.Event;
            foreach (var id in new[] { e.PaymentIntentId, e.ChargeId, e.DisputeId, e.CheckoutSessionId, e.CustomerId, e.PaymentMethodId, e.RefundId })
            {
                // A dispute id becomes part of ledger operation ids (at most 128 characters), so it is held shorter.
                var maxLength = ReferenceEquals(id, e.DisputeId) ? 64 : 255;
                if (id is not null && (id.Length > maxLength || !StripeIdPattern().IsMatch(id)))
                {
                    throw new StripeEventFormatException($"{stripeEvent.Id} names an object id of an unexpected shape.");
                }
            }
        }

        return translated;
    }

    private static TranslatedEvent Session(StripeEvent stripeEvent, CardEventKind? kind)
    {
        var session = stripeEvent.ReadCheckoutSession();
        // A completed session is paid, or (a delayed method) waits for the async outcome.
        var resolved = kind ?? (session.PaymentStatus == CheckoutSessionPaymentStatus.Paid ? CardEventKind.Paid : CardEventKind.AwaitingPayment);
        // Compared with what the payment asked for: with Adaptive Pricing the payer's own currency may be on top.
        var (amountTotal, currency) = session.CreatedTotal();
        var cardEvent = Base(stripeEvent, resolved, CardEventSource.CheckoutSession, amountTotal, currency) with
        {
            PaymentIntentId = session.PaymentIntent,
            CheckoutSessionId = session.Id,
            CustomerId = session.Customer,
        };
        // The payment is the one the grid's own metadata names: a buyer can set client_reference_id (a Payment Link, Buy
        // Button or Pricing Table of the same Stripe account takes it from the URL), so a session another product sold
        // would otherwise pay a top-up of the same price. One whose client_reference_id names another payment is not ours.
        var paymentId = session.Metadata.GetValueOrDefault("payment_id");
        return new TranslatedEvent(
            cardEvent, session.ClientReferenceId is { } reference && !string.Equals(reference, paymentId, StringComparison.Ordinal) ? null : paymentId);
    }

    private static TranslatedEvent Intent(StripeEvent stripeEvent, CardEventKind kind)
    {
        var intent = stripeEvent.ReadPaymentIntent();
        var amount = kind == CardEventKind.Paid ? intent.AmountReceived : intent.Amount;
        var cardEvent = Base(stripeEvent, kind, CardEventSource.PaymentIntent, amount, intent.Currency) with
        {
            PaymentIntentId = intent.Id,
            ChargeId = intent.LatestCharge,
            CustomerId = intent.Customer,
            PaymentMethodId = intent.PaymentMethod,
        };
        return new TranslatedEvent(cardEvent, intent.Metadata.GetValueOrDefault("payment_id"));
    }

    private static TranslatedEvent Refund(StripeEvent stripeEvent)
    {
        var charge = stripeEvent.ReadCharge();
        var cardEvent = Base(stripeEvent, CardEventKind.Refunded, CardEventSource.Charge, charge.AmountRefunded, charge.Currency) with
        {
            PaymentIntentId = charge.PaymentIntent,
            ChargeId = charge.Id,
        };
        return new TranslatedEvent(cardEvent, charge.Metadata.GetValueOrDefault("payment_id"));
    }

    /// <summary>
    /// A refund that failed or was canceled; any other change of a refund (pending, succeeded) is not acted on, as
    /// <c>charge.refunded</c> took its credits back when it was made.
    /// </summary>
    private static TranslatedEvent? RefundChange(StripeEvent stripeEvent)
    {
        var refund = stripeEvent.ReadRefund();
        if (refund.Status is not (RefundStatus.Failed or RefundStatus.Canceled))
        {
            return null;
        }

        var cardEvent = Base(stripeEvent, CardEventKind.RefundFailed, CardEventSource.Charge, refund.Amount, refund.Currency) with
        {
            PaymentIntentId = refund.PaymentIntent,
            ChargeId = refund.Charge,
            RefundId = refund.Id,
            // Stripe's word, shown to an operator: kept short and plain.
            FailureReason = refund.Status == RefundStatus.Canceled ? "canceled" : Plain(refund.FailureReason) ?? "unknown",
        };
        return new TranslatedEvent(cardEvent, null);
    }

    private static string? Plain(string? reason) =>
        reason is { Length: > 0 and <= 64 } && StripeIdPattern().IsMatch(reason) ? reason : null;

    private static TranslatedEvent? DisputeEvent(StripeEvent stripeEvent, bool closed)
    {
        var dispute = stripeEvent.ReadDispute();
        CardEventKind? kind = !closed ? CardEventKind.DisputeOpened
            : dispute.Status switch
            {
                DisputeStatus.Lost => CardEventKind.DisputeLost,
                // Won, or an inquiry closed without a chargeback: the hold is released.
                DisputeStatus.Won or DisputeStatus.WarningClosed or DisputeStatus.Prevented => CardEventKind.DisputeWon,
                // A close with a status the grid does not know as final: neither released nor reversed (a person settles it).
                _ => null,
            };
        if (kind is null)
        {
            return null;
        }

        var cardEvent = Base(stripeEvent, kind.Value, CardEventSource.Dispute, dispute.Amount, dispute.Currency) with
        {
            PaymentIntentId = dispute.PaymentIntent,
            ChargeId = dispute.Charge,
            DisputeId = dispute.Id,
        };
        return new TranslatedEvent(cardEvent, null);
    }

    private static CardPaymentEvent Base(StripeEvent stripeEvent, CardEventKind kind, CardEventSource source, long? amount, string? currency) =>
        new(stripeEvent.Id, stripeEvent.Type, kind, source, amount, currency?.ToLowerInvariant(), Created: stripeEvent.Created);

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex StripeIdPattern();
}
