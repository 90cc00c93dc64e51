using System.Collections.ObjectModel;
using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>The fields of a Stripe PaymentIntent (<c>"object": "payment_intent"</c>) the grid reads.</summary>
public sealed record PaymentIntent
{
    /// <summary>The <c>object</c> value of a PaymentIntent.</summary>
    public const string ObjectName = "payment_intent";

    /// <summary><c>pi_…</c></summary>
    public required string Id { get; init; }

    public required PaymentIntentStatus Status { get; init; }

    /// <summary>The amount to collect, in the currency's smallest unit.</summary>
    public required long Amount { get; init; }

    /// <summary>The amount collected so far, in the currency's smallest unit.</summary>
    public long AmountReceived { get; init; }

    /// <summary>Lowercase ISO 4217 code.</summary>
    public required string Currency { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The latest Charge's id (<c>ch_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? LatestCharge { get; init; }

    /// <summary>The Customer's id (<c>cus_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? Customer { get; init; }

    /// <summary>The PaymentMethod's id (<c>pm_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? PaymentMethod { get; init; }
}
