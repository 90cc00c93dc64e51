using System.Buffers;
using System.Text.Json;
using Grid.Stripe.Events.Serialization;

namespace Grid.Stripe.Events;

/// <summary>
/// Turns a webhook body into a <see cref="StripeEvent"/>: strict about what the grid relies on (an <c>evt_</c> id
/// fit to be a deduplication key, a type, the creation time, livemode, and <c>data.object</c> being an object),
/// tolerant of every member it does not read.
/// </summary>
internal static class StripeEventParser
{
    /// <summary>Longer ids or types than this are not Stripe's and are refused before they reach storage.</summary>
    public const int MaxIdLength = 255;

    private const string IdPrefix = "evt_";

    private static readonly SearchValues<char> IdCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    public static StripeEvent Parse(ReadOnlySpan<byte> rawBody)
    {
        if (rawBody.IsEmpty)
        {
            throw new StripeEventFormatException("the body is empty; expected a Stripe event");
        }

        StripeEventJson? json;
        try
        {
            json = JsonSerializer.Deserialize(rawBody, StripeJsonContext.Default.StripeEventJson);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw new StripeEventFormatException($"the body is not a Stripe event{where}: {exception.Message}", exception);
        }

        if (json is null)
        {
            throw new StripeEventFormatException("the body is JSON null; expected a Stripe event");
        }

        if (json.Object is { } objectName && objectName != "event")
        {
            throw new StripeEventFormatException($"the body is a {objectName}, not an event (\"object\": \"event\")");
        }

        if (!IsEventId(json.Id))
        {
            throw new StripeEventFormatException(
                $"the event id must be \"{IdPrefix}\" and letters, digits or underscores, at most {MaxIdLength} characters");
        }

        if (json.Type.Length is 0 or > MaxIdLength || json.Type.Any(char.IsControl) || json.Type.Any(char.IsWhiteSpace))
        {
            throw new StripeEventFormatException($"the event type must be 1 to {MaxIdLength} characters without spaces");
        }

        if (json.Data.Object.ValueKind != JsonValueKind.Object)
        {
            throw new StripeEventFormatException($"data.object of {json.Id} is {json.Data.Object.ValueKind}, not an object");
        }

        if (json.Created < 0 || json.Created > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            throw new StripeEventFormatException($"created of {json.Id} is not a unix time");
        }

        var previous = json.Data.PreviousAttributes;
        if (previous is { ValueKind: JsonValueKind.Null })
        {
            previous = null;
        }

        return new StripeEvent
        {
            Id = json.Id,
            Type = json.Type,
            Created = DateTimeOffset.FromUnixTimeSeconds(json.Created),
            Livemode = json.Livemode,
            ApiVersion = json.ApiVersion,
            DataObject = json.Data.Object,
            PreviousAttributes = previous,
            Request = json.Request,
        };
    }

    private static bool IsEventId(string id) =>
        id.Length > IdPrefix.Length
        && id.Length <= MaxIdLength
        && id.StartsWith(IdPrefix, StringComparison.Ordinal)
        && !id.AsSpan(IdPrefix.Length).ContainsAnyExcept(IdCharacters);
}
