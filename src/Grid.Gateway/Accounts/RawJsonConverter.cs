using System.Text.Json;
using System.Text.Json.Serialization;

namespace Grid.Gateway.Accounts;

/// <summary>
/// Writes stored JSON text (entry metadata) as the JSON value it is, not as a string. Text that is not
/// JSON (written by some other path) goes out as a string rather than failing the response.
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
            return;
        }

        JsonDocument? document = null;
        try
        {
            document = JsonDocument.Parse(value);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(value);
            return;
        }

        using (document)
        {
            document.RootElement.WriteTo(writer);
        }
    }
}
