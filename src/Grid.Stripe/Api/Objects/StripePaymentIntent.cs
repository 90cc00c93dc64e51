using System.Text.Json.Serialization;

namespace Grid.Stripe.Api.Objects;

/// <summary>The fields of a <c>payment_intent</c> the grid reads.</summary>
public sealed record StripePaymentIntent : IStripeObject
{
    public const string Type = "payment_intent";

    public string Id { get; init; } = "";

    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "";

    /// <summary>
    /// <c>requires_payment_method</c>, <c>requires_confirmation</c>, <c>requires_action</c>, <c>processing</c>,
    /// <c>requires_capture</c>, <c>canceled</c> or <c>succeeded</c>.
    /// </summary>
    public string? Status { get; init; }

    public long Amount { get; init; }

    public long AmountReceived { get; init; }

    public string? Currency { get; init; }

    [JsonPropertyName("customer")]
    public string? CustomerId { get; init; }

    [JsonPropertyName("payment_method")]
    public string? PaymentMethodId { get; init; }

    [JsonPropertyName("latest_charge")]
    public string? LatestChargeId { get; init; }

    public StripePaymentError? LastPaymentError { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }

    public bool Livemode { get; init; }
}
