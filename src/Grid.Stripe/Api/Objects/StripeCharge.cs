using System.Text.Json.Serialization;

namespace Grid.Stripe.Api.Objects;

/// <summary>The fields of a <c>charge</c> the grid reads.</summary>
public sealed record StripeCharge : IStripeObject
{
    public const string Type = "charge";

    public string Id { get; init; } = "";

    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "";

    /// <summary><c>succeeded</c>, <c>pending</c> or <c>failed</c>.</summary>
    public string? Status { get; init; }

    public long Amount { get; init; }

    public long AmountCaptured { get; init; }

    public long AmountRefunded { get; init; }

    public string? Currency { get; init; }

    public bool Paid { get; init; }

    public bool Captured { get; init; }

    public bool Refunded { get; init; }

    public bool Disputed { get; init; }

    [JsonPropertyName("payment_intent")]
    public string? PaymentIntentId { get; init; }

    [JsonPropertyName("customer")]
    public string? CustomerId { get; init; }

    public string? FailureCode { get; init; }

    public string? FailureMessage { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }

    public bool Livemode { get; init; }
}
