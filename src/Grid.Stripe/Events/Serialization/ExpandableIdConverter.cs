using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Stripe.Events.Serialization;

/// <summary>
/// Reads one of Stripe's expandable fields as the related object's id: Stripe sends either the id as a string or,
/// when the field was expanded, the whole object, whose <c>id</c> is taken and the rest skipped.
/// </summary>
public sealed class ExpandableIdConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString()!;
            case JsonTokenType.StartObject:
                return ReadExpandedId(ref reader);
            default:
                throw new JsonException($"expected an id or an expanded object, found {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    private static string ReadExpandedId(ref Utf8JsonReader reader)
    {
        string? id = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var isId = reader.ValueTextEquals("id"u8);
            reader.Read();
            if (isId)
            {
                id = reader.TokenType == JsonTokenType.String
                    ? reader.GetString()
                    : throw new JsonException($"the expanded object's id is a {reader.TokenType}, not a string");
            }
            else
            {
                reader.Skip();
            }
        }

        return id ?? throw new JsonException("the expanded object has no id");
    }
}
