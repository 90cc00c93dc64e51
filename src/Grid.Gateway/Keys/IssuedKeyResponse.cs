namespace Grid.Gateway.Keys;

/// <summary>POST /v1/keys: the key itself, shown this once and never again.</summary>
public sealed record IssuedKeyResponse(string Id, string Key, string AccountId, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt);
