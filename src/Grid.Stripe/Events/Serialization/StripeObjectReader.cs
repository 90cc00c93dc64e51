using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Grid.Stripe.Events.Serialization;

/// <summary>Reads a Stripe object from JSON after checking its <c>object</c> member names the expected type.</summary>
internal static class StripeObjectReader
{
    /// <summary>The <c>object</c> member of <paramref name="json"/>, or null when it has none or is not an object.</summary>
    public static string? ObjectNameOf(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object
        && json.TryGetProperty("object"u8, out var name)
        && name.ValueKind == JsonValueKind.String
            ? name.GetString()
            : null;

    /// <exception cref="StripeEventFormatException">The JSON is not a <paramref name="objectName"/> with what <typeparamref name="T"/> requires.</exception>
    public static T Read<T>(JsonElement json, string objectName, JsonTypeInfo<T> typeInfo, string where)
    {
        var actual = ObjectNameOf(json);
        if (actual != objectName)
        {
            throw new StripeEventFormatException(
                actual is null
                    ? $"{where} has no \"object\" member; expected a {objectName}"
                    : $"{where} is a {actual}, not a {objectName}");
        }

        try
        {
            return json.Deserialize(typeInfo)
                ?? throw new StripeEventFormatException($"{where} is null; expected a {objectName}");
        }
        catch (JsonException exception)
        {
            var at = exception.Path is { Length: > 1 } path ? $" at {path}" : "";
            throw new StripeEventFormatException($"{where} is not a readable {objectName}{at}: {exception.Message}", exception);
        }
    }
}
