namespace Grid.Stripe.TestKit.Objects;

/// <summary>A Refund a built event is to carry (see <see cref="Events.StripeEvents.ChargeRefundUpdated"/>).</summary>
public sealed record TestRefund
{
    /// <summary><c>re_…</c></summary>
    public required string Id { get; init; }

    /// <summary>This refund's amount, in the currency's smallest unit.</summary>
    public required long Amount { get; init; }

    /// <summary>Lower-case ISO 4217 code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    /// <summary><c>ch_…</c> of the refunded charge.</summary>
    public required string ChargeId { get; init; }

    /// <summary><c>pi_…</c> of the refunded charge's PaymentIntent.</summary>
    public string? PaymentIntentId { get; init; }

    /// <summary>e.g. <c>pending</c>, <c>succeeded</c>, <c>failed</c>, <c>canceled</c>.</summary>
    public string Status { get; init; } = "succeeded";

    /// <summary>For a failed refund, e.g. <c>expired_or_canceled_card</c>.</summary>
    public string? FailureReason { get; init; }
}
