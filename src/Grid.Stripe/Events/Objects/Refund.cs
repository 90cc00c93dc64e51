using System.Text.Json.Serialization;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events.Objects;

/// <summary>The fields of a Stripe Refund (<c>"object": "refund"</c>) the grid reads.</summary>
public sealed record Refund
{
    /// <summary>The <c>object</c> value of a Refund.</summary>
    public const string ObjectName = "refund";

    /// <summary><c>re_…</c> (or <c>pyr_…</c> for some payment methods).</summary>
    public required string Id { get; init; }

    /// <summary>This refund's amount alone, in the currency's smallest unit (not a running total).</summary>
    public required long Amount { get; init; }

    /// <summary>Lowercase ISO 4217 code.</summary>
    public required string Currency { get; init; }

    /// <summary>Null in some renderings (Stripe documents it as nullable): then it says nothing the grid acts on.</summary>
    public RefundStatus? Status { get; init; }

    /// <summary>The refunded Charge's id (<c>ch_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? Charge { get; init; }

    /// <summary>The PaymentIntent's id (<c>pi_…</c>), id or expanded object.</summary>
    [JsonConverter(typeof(ExpandableIdConverter))]
    public string? PaymentIntent { get; init; }

    /// <summary>Why a failed refund failed, e.g. <c>expired_or_canceled_card</c>, <c>lost_or_stolen_card</c>, <c>unknown</c>.</summary>
    public string? FailureReason { get; init; }
}
