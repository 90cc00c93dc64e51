using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Stripe.Events.Serialization;

/// <summary>
/// Reads a Stripe enum string (<c>requires_payment_method</c>) into <typeparamref name="TEnum"/>, whose members
/// are the PascalCase of Stripe's values. A value this code does not know reads as the enum's zero member
/// (<c>Unknown</c>): Stripe adds values without a new API version, and an unknown status must not make a
/// genuine event unreadable. A non-string is an error.
/// </summary>
public sealed class StripeEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<string, TEnum> ByName =
        Enum.GetValues<TEnum>().ToFrozenDictionary(NameOf, StringComparer.Ordinal);

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string for {typeof(TEnum).Name}, found {reader.TokenType}");
        }

        return ByName.GetValueOrDefault(reader.GetString()!);
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(NameOf(value));
    }

    private static string NameOf(TEnum value) => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
