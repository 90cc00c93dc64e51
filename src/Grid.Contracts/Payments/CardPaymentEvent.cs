namespace Grid.Contracts.Payments;

/// <summary>
/// What the grid read from one verified Stripe event about a card payment: no Stripe type crosses a grain
/// boundary, and this is also what is stored with the event, so a payment can be folded again from its events.
/// </summary>
/// <param name="EventId">The Stripe event id (<c>evt_...</c>): the deduplication key.</param>
/// <param name="Type">The Stripe event type, e.g. <c>charge.refunded</c>.</param>
/// <param name="AmountCents">The amount the event states: paid total, refunded total so far, a failed refund's amount, or disputed amount.</param>
/// <param name="Currency">Lower-case ISO 4217 code of <paramref name="AmountCents"/>.</param>
/// <param name="PaymentIntentId">The PaymentIntent the event names, if any (<c>pi_...</c>).</param>
/// <param name="ChargeId">The charge the event names, if any (<c>ch_...</c>).</param>
/// <param name="DisputeId">For dispute events, the dispute (<c>dp_...</c>).</param>
/// <param name="CheckoutSessionId">For checkout events, the session (<c>cs_...</c>).</param>
/// <param name="CustomerId">The Stripe customer the event names, if any.</param>
/// <param name="PaymentMethodId">The payment method the event names, if any.</param>
/// <param name="Created">When Stripe says the event happened.</param>
/// <param name="RefundId">For a refund's own events, the refund (<c>re_...</c>).</param>
/// <param name="FailureReason">For a failed refund, Stripe's reason, e.g. <c>expired_or_canceled_card</c>.</param>
public sealed record CardPaymentEvent(
    string EventId,
    string Type,
    CardEventKind Kind,
    CardEventSource Source,
    long? AmountCents,
    string? Currency,
    string? PaymentIntentId = null,
    string? ChargeId = null,
    string? DisputeId = null,
    string? CheckoutSessionId = null,
    string? CustomerId = null,
    string? PaymentMethodId = null,
    DateTimeOffset? Created = null,
    string? RefundId = null,
    string? FailureReason = null);
