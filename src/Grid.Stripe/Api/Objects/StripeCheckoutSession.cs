using System.Text.Json.Serialization;

namespace Grid.Stripe.Api.Objects;

/// <summary>The fields of a <c>checkout.session</c> the grid reads.</summary>
public sealed record StripeCheckoutSession : IStripeObject
{
    public const string Type = "checkout.session";

    public string Id { get; init; } = "";

    [JsonPropertyName("object")]
    public string ObjectType { get; init; } = "";

    /// <summary>The hosted page to send the payer to; null once the session is complete or expired.</summary>
    public string? Url { get; init; }

    /// <summary><c>open</c>, <c>complete</c> or <c>expired</c>.</summary>
    public string? Status { get; init; }

    /// <summary><c>unpaid</c>, <c>paid</c> or <c>no_payment_required</c>.</summary>
    public string? PaymentStatus { get; init; }

    public string? Mode { get; init; }

    public string? Currency { get; init; }

    public long? AmountSubtotal { get; init; }

    public long? AmountTotal { get; init; }

    public string? ClientReferenceId { get; init; }

    [JsonPropertyName("customer")]
    public string? CustomerId { get; init; }

    /// <summary>Null until the payer submits the payment (Checkout creates the PaymentIntent lazily).</summary>
    [JsonPropertyName("payment_intent")]
    public string? PaymentIntentId { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>Unix seconds.</summary>
    public long Created { get; init; }

    /// <summary>Unix seconds.</summary>
    public long? ExpiresAt { get; init; }

    public bool Livemode { get; init; }
}
