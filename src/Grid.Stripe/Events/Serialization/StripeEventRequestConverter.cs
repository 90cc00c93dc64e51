using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Stripe.Events.Serialization;

/// <summary>
/// Reads an event's <c>request</c>: an object <c>{id, idempotency_key}</c>, or, in events of API versions before
/// 2017-05-25, the request id alone as a string.
/// </summary>
internal sealed class StripeEventRequestConverter : JsonConverter<StripeEventRequest>
{
    public override StripeEventRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new StripeEventRequest(reader.GetString(), null);
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object or a string for request, found {reader.TokenType}");
        }

        string? id = null;
        string? idempotencyKey = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isKey = reader.ValueTextEquals("idempotency_key"u8);
            reader.Read();
            if (isId)
            {
                id = ReadOptionalString(ref reader, "request.id");
            }
            else if (isKey)
            {
                idempotencyKey = ReadOptionalString(ref reader, "request.idempotency_key");
            }
            else
            {
                reader.Skip();
            }
        }

        return new StripeEventRequest(id, idempotencyKey);
    }

    public override void Write(Utf8JsonWriter writer, StripeEventRequest value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("id"u8, value.Id);
        writer.WriteString("idempotency_key"u8, value.IdempotencyKey);
        writer.WriteEndObject();
    }

    private static string? ReadOptionalString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw new JsonException($"{field} must be a string or null, found {reader.TokenType}"),
    };
}
