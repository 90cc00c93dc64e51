using System.Collections.ObjectModel;

namespace Grid.Stripe.TestKit.Objects;

/// <summary>
/// A PaymentIntent as a test sees it: one the stand-in created (see <see cref="StandIn.StripeStandIn.PaymentIntents"/>),
/// or the object a built event is to carry (see <see cref="Events.StripeEvents"/>, which sets the status and amount
/// received the event type implies).
/// </summary>
public sealed record TestPaymentIntent
{
    /// <summary><c>pi_…</c></summary>
    public required string Id { get; init; }

    /// <summary>In the currency's smallest unit.</summary>
    public required long Amount { get; init; }

    /// <summary>Lower-case ISO 4217 code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>What was collected so far, in the currency's smallest unit.</summary>
    public long AmountReceived { get; init; }

    /// <summary>Stripe's status, e.g. <c>succeeded</c>, <c>requires_payment_method</c>.</summary>
    public string Status { get; init; } = "requires_payment_method";

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary><c>cus_…</c></summary>
    public string? CustomerId { get; init; }

    /// <summary><c>pm_…</c>; Stripe clears it when a payment attempt fails.</summary>
    public string? PaymentMethodId { get; init; }

    /// <summary><c>ch_…</c> of the latest payment attempt, if there was one.</summary>
    public string? LatestChargeId { get; init; }

    /// <summary><c>off_session</c> or <c>on_session</c> when the card is saved for later payments.</summary>
    public string? SetupFutureUsage { get; init; }
}
