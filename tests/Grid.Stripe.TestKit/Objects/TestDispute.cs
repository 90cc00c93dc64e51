namespace Grid.Stripe.TestKit.Objects;

/// <summary>
/// A Dispute a built event is to carry (see <see cref="Events.StripeEvents"/>, which sets the status the event type
/// implies).
/// </summary>
public sealed record TestDispute
{
    /// <summary><c>dp_…</c></summary>
    public required string Id { get; init; }

    /// <summary>The disputed amount, in the currency's smallest unit; may be less than the charge's.</summary>
    public required long Amount { get; init; }

    /// <summary>Lower-case ISO 4217 code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    /// <summary><c>ch_…</c> of the disputed charge.</summary>
    public required string ChargeId { get; init; }

    /// <summary><c>pi_…</c> of the disputed charge's PaymentIntent.</summary>
    public string? PaymentIntentId { get; init; }

    /// <summary>The cardholder's reason, e.g. <c>fraudulent</c>, <c>product_not_received</c>.</summary>
    public string Reason { get; init; } = "fraudulent";

    /// <summary>e.g. <c>needs_response</c>, <c>under_review</c>, <c>won</c>, <c>lost</c>.</summary>
    public string Status { get; init; } = "needs_response";
}
