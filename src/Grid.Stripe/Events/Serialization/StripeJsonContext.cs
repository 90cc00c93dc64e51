using System.Text.Json.Serialization;
using Grid.Stripe.Events.Objects;

namespace Grid.Stripe.Events.Serialization;

/// <summary>
/// Source-generated JSON for what Stripe sends: snake_case names; strict about required members and nulls where
/// the types say non-null, so a body missing what the grid needs is refused rather than read as zeros; unknown
/// members skipped, as Stripe adds fields freely; duplicate members refused, so no two readers of one body can
/// see different values.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    AllowDuplicateProperties = false,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(StripeEventJson))]
[JsonSerializable(typeof(CheckoutSession))]
[JsonSerializable(typeof(PaymentIntent))]
[JsonSerializable(typeof(Charge))]
[JsonSerializable(typeof(Dispute))]
[JsonSerializable(typeof(Refund))]
internal sealed partial class StripeJsonContext : JsonSerializerContext;
