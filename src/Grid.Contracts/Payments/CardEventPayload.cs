using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Contracts.Payments;

/// <summary>The stored form of a card event (processed_events.payload), read back to fold a payment again.</summary>
public static class CardEventPayload
{
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
