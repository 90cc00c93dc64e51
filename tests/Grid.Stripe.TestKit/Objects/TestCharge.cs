using System.Collections.ObjectModel;

namespace Grid.Stripe.TestKit.Objects;

/// <summary>A Charge as a test sees it: one the stand-in created (see <see cref="StandIn.StripeStandIn.Charges"/>), or the object a built event is to carry.</summary>
public sealed record TestCharge
{
    /// <summary><c>ch_…</c></summary>
    public required string Id { get; init; }

    /// <summary>In the currency's smallest unit.</summary>
    public required long Amount { get; init; }

    /// <summary>Lower-case ISO 4217 code, e.g. <c>usd</c>.</summary>
    public required string Currency { get; init; }

    /// <summary>The running total of refunds, in the currency's smallest unit.</summary>
    public long AmountRefunded { get; init; }

    /// <summary>Stripe's rule: true once the whole amount is refunded.</summary>
    public bool Refunded => AmountRefunded >= Amount;

    /// <summary><c>succeeded</c>, <c>pending</c> or <c>failed</c>.</summary>
    public string Status { get; init; } = "succeeded";

    /// <summary><c>pi_…</c></summary>
    public string? PaymentIntentId { get; init; }

    /// <summary>Copied from the PaymentIntent when the charge was made.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary><c>cus_…</c></summary>
    public string? CustomerId { get; init; }

    /// <summary><c>pm_…</c></summary>
    public string? PaymentMethodId { get; init; }
}
