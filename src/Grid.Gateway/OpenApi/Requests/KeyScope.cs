using System.Text.Json.Serialization;

namespace Grid.Gateway.OpenApi.Requests;

/// <summary>The scope names a key request may list (<see cref="Auth.ApiScopes"/> parses them), as a schema enum.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyScope>))]
internal enum KeyScope
{
    [JsonStringEnumMemberName("read")]
    Read = 1,

    [JsonStringEnumMemberName("charge")]
    Charge = 2,

    [JsonStringEnumMemberName("admin")]
    Admin = 3,
}
