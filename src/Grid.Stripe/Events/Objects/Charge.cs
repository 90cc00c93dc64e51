using System.Collections.ObjectModel;
using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>The fields of a Stripe Charge (<c>"object": "charge"</c>) the grid reads.</summary>
public sealed record Charge
{
    /// <summary>The <c>object</c> value of a Charge.</summary>
    public const string ObjectName = "charge";

    /// <summary><c>ch_…</c> (or <c>py_…</c> for some payment methods).</summary>
    public required string Id { get; init; }

    /// <summary>The amount charged, in the currency's smallest unit.</summary>
    public required long Amount { get; init; }

    /// <summary>The total refunded so far, in the currency's smallest unit; grows with each partial refund.</summary>
    public required long AmountRefunded { get; init; }

    /// <summary>Whether the charge is refunded in full.</summary>
    public required bool Refunded { get; init; }

    /// <summary>Lowercase ISO 4217 code.</summary>
    public required string Currency { get; init; }

    /// <summary>The PaymentIntent's id (<c>pi_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = ReadOnlyDictionary<string, string>.Empty;
}
