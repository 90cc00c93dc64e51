using System.Text.Json.Serialization;
using Grid.Stripe.Api.Errors;
using Grid.Stripe.Api.Objects;

namespace Grid.Stripe.Api.Json;

/// <summary>Reads Stripe's snake_case JSON into our records; fields we do not model are skipped.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(StripeCheckoutSession))]
[JsonSerializable(typeof(StripePaymentIntent))]
[JsonSerializable(typeof(StripeCharge))]
[JsonSerializable(typeof(StripeErrorBody))]
internal sealed partial class StripeApiJsonContext : JsonSerializerContext;
