using System.Text.Json.Serialization;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>The scopes a guest token may carry, as a schema enum (never admin).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GuestScope>))]
internal enum GuestScope
{
    [JsonStringEnumMemberName("read")]
    Read = 1,

    [JsonStringEnumMemberName("charge")]
    Charge = 2,
}
