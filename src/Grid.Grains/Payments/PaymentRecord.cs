using Grid.Contracts.Payments;

namespace Grid.Grains.Payments;

/// <summary>
/// What a payment grain stores itself (grain state "payment"): what was bought, and what Stripe answered when
/// asked for the session. Everything that happens later is in the payment's processed events, folded on load.
/// </summary>
public sealed class PaymentRecord
{
    public string AccountId { get; set; } = "";

    public PaymentKind Kind { get; set; }

    /// <summary>The caller's operation id of the start, with what it asked for (a repeat must ask the same).</summary>
    public string OperationId { get; set; } = "";

    public string? PackageId { get; set; }

    public long AmountCents { get; set; }

    public string Currency { get; set; } = "";

    public long Credits { get; set; }

    /// <summary>
    /// A checkout's session request as first made (the product's name, the return URLs): asked again after a lost answer,
    /// Stripe must be sent the same parameters under the same idempotency key, whatever the configuration or the request's
    /// Host say by then. Null for payments stored before they were kept: the start's own are sent.
    /// </summary>
    public string? ProductName { get; set; }

    public string? SuccessUrl { get; set; }

    public string? CancelUrl { get; set; }

    public string? CheckoutSessionId { get; set; }

    public string? CheckoutUrl { get; set; }

    /// <summary>The PaymentIntent, once known (an off-session charge's at once; a checkout's from its events).</summary>
    public string? PaymentIntentId { get; set; }

    /// <summary>For an auto-reload: the saved card charged.</summary>
    public string? CustomerId { get; set; }

    public string? PaymentMethodId { get; set; }

    /// <summary>Stripe declined the off-session charge when it was created (a card error, not a lost answer).</summary>
    public bool Declined { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public bool Exists => AccountId.Length > 0;
}
