namespace Grid.Stripe.Events.Objects;

/// <summary>
/// A session's <c>currency_conversion</c>: present when Adaptive Pricing let the payer pay in their own currency and the
/// account's webhooks use an API version before 2025-03-31, whose sessions then carry the payer's currency and amount;
/// the amounts the session was created with are here.
/// </summary>
public sealed record CheckoutSessionCurrencyConversion
{
    /// <summary>The total in the session's creation currency, discounts and taxes included.</summary>
    public long? AmountTotal { get; init; }

    /// <summary>The currency the session was created in (lowercase ISO 4217).</summary>
    public string? SourceCurrency { get; init; }
}
