using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>The fields of a Stripe Dispute (<c>"object": "dispute"</c>) the grid reads.</summary>
public sealed record Dispute
{
    /// <summary>The <c>object</c> value of a Dispute.</summary>
    public const string ObjectName = "dispute";

    /// <summary><c>dp_…</c> (or <c>du_…</c>)</summary>
    public required string Id { get; init; }

    /// <summary>The disputed amount, in the currency's smallest unit; may be less than the charge.</summary>
    public required long Amount { get; init; }

    /// <summary>Lowercase ISO 4217 code.</summary>
    public required string Currency { get; init; }

    /// <summary>The disputed Charge's id (<c>ch_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public required string Charge { get; init; }

    /// <summary>The PaymentIntent's id (<c>pi_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    public required DisputeStatus Status { get; init; }

    /// <summary>The reason the cardholder gave, e.g. <c>fraudulent</c>, <c>product_not_received</c>.</summary>
    public required string Reason { get; init; }
}
