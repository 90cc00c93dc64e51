using System.Collections.ObjectModel;
using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>The fields of a Stripe Checkout Session (<c>"object": "checkout.session"</c>) the grid reads.</summary>
public sealed record CheckoutSession
{
    /// <summary>The <c>object</c> value of a Checkout Session.</summary>
    public const string ObjectName = "checkout.session";

    /// <summary><c>cs_…</c></summary>
    public required string Id { get; init; }

    public required CheckoutSessionPaymentStatus PaymentStatus { get; init; }

    public CheckoutSessionStatus? Status { get; init; }

    /// <summary>The total in the currency's smallest unit (cents), discounts and taxes included.</summary>
    public long? AmountTotal { get; init; }

    /// <summary>Lowercase ISO 4217 code, e.g. <c>usd</c>.</summary>
    public string? Currency { get; init; }

    /// <summary>Set when the payer paid in another currency (Adaptive Pricing, older API versions); else null.</summary>
    public CheckoutSessionCurrencyConversion? CurrencyConversion { get; init; }

    /// <summary>The total in the currency the session was created in, with that currency: what the grid asked for.</summary>
    public (long? AmountTotal, string? Currency) CreatedTotal() =>
        CurrencyConversion is { SourceCurrency: { } source } conversion ? (conversion.AmountTotal, source) : (AmountTotal, Currency);

    /// <summary>What the grid passed when creating the session: its payment id.</summary>
    public string? ClientReferenceId { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The PaymentIntent's id (<c>pi_…</c>), whether Stripe sent the id or the expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    /// <summary>The Customer's id (<c>cus_…</c>), whether Stripe sent the id or the expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? Customer { get; init; }
}
