using System.Text.Json;
using System.Text.Json.Serialization;
using Grid.Ledger.Persistence;

namespace Grid.Contracts.Payments;

/// <summary>The stored form of a card event (processed_events.payload), read back to fold a payment again.</summary>
public static class CardEventPayload
{
    /// <summary>The <see cref="ProcessedEvent.Source"/> of Stripe's events.</summary>
    public const string Source = "stripe";

    /// <summary>
    /// The record of a handled card event: its object (the PaymentIntent, else the charge) is what a payment claims
    /// it by, and what finds the payment for later events about that object.
    /// </summary>
    public static ProcessedEvent ToProcessedEvent(CardPaymentEvent cardEvent, string outcome, string? paymentId, DateTimeOffset at) => new(
        Source, cardEvent.EventId, cardEvent.Type, paymentId, cardEvent.PaymentIntentId ?? cardEvent.ChargeId, outcome, Serialize(cardEvent), at);

    public static string Serialize(CardPaymentEvent cardEvent) =>
        JsonSerializer.Serialize(cardEvent, CardEventJsonContext.Default.CardPaymentEvent);

    public static CardPaymentEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize(payload, CardEventJsonContext.Default.CardPaymentEvent)
        ?? throw new JsonException("A stored card event is empty.");
}

/// <summary>Source-generated, enums by name, nulls left out.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CardPaymentEvent))]
internal sealed partial class CardEventJsonContext : JsonSerializerContext;
