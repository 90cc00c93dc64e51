using System.Text.Json.Serialization;

namespace Grid.Stripe.Events.Serialization;

/// <summary>An event as Stripe sends it, before <see cref="StripeEventParser"/> checks it into a <see cref="StripeEvent"/>.</summary>
internal sealed record StripeEventJson
{
    public required string Id { get; init; }

    /// <summary><c>event</c>; anything else (a v2 thin notification) is refused.</summary>
    public string? Object { get; init; }

    public required string Type { get; init; }

    public required long Created { get; init; }

    public required bool Livemode { get; init; }

    public string? ApiVersion { get; init; }

    public required StripeEventDataJson Data { get; init; }

    [JsonConverter(typeof(StripeEventRequestConverter))]
    public StripeEventRequest? Request { get; init; }
}
