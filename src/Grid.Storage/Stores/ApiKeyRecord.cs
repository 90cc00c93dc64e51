namespace Grid.Storage.Stores;

/// <summary>An API key as stored: never its secret, only the secret's SHA-256 (hex).</summary>
/// <param name="Scopes">Space-separated scope names, as the gateway wrote them.</param>
public sealed record ApiKeyRecord(
    string KeyId,
    string AccountId,
    string? Name,
    string Scopes,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt);
