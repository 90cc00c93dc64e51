using System.Text.Json;

namespace Grid.Stripe.Events.Serialization;

/// <summary>An event's <c>data</c>: the object as it is now and, for *.updated-style events, what changed.</summary>
internal sealed record StripeEventDataJson
{
    public required JsonElement Object { get; init; }

    public JsonElement? PreviousAttributes { get; init; }
}
