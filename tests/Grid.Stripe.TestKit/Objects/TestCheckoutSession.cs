using System.Collections.ObjectModel;

namespace Grid.Stripe.TestKit.Objects;

/// <summary>
/// A Checkout Session as a test sees it: one the stand-in created (see <see cref="StandIn.StripeStandIn.CheckoutSessions"/>),
/// or the object a built event is to carry (see <see cref="Events.StripeEvents"/>, which sets the status, payment
/// status and url the event type implies).
/// </summary>
public sealed record TestCheckoutSession
{
    /// <summary><c>cs_test_…</c></summary>
    public required string Id { get; init; }

    /// <summary>In the currency's smallest unit.</summary>
    public required long AmountTotal { get; init; }

    /// <summary>Lower-case ISO 4217 code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    public string? ClientReferenceId { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary><c>pi_…</c>; null until the payer submits (Checkout creates the PaymentIntent only then).</summary>
    public string? PaymentIntentId { get; init; }

    /// <summary><c>cus_…</c>, if the session has a customer.</summary>
    public string? CustomerId { get; init; }

    /// <summary>The hosted payment page while the session is open; null once it is complete or expired.</summary>
    public string? Url { get; init; }

    /// <summary><c>open</c>, <c>complete</c> or <c>expired</c>.</summary>
    public string Status { get; init; } = "open";

    /// <summary><c>paid</c>, <c>unpaid</c> or <c>no_payment_required</c>.</summary>
    public string PaymentStatus { get; init; } = "unpaid";

    public string? SuccessUrl { get; init; }

    public string? CancelUrl { get; init; }
}
