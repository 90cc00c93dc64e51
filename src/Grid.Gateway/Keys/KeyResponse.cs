namespace Grid.Gateway.Keys;

/// <summary>A key as listed: never its secret; <c>prefix</c> is the public part of the key (<c>gk_&lt;id&gt;</c>).</summary>
public sealed record KeyResponse(
    string Id, string Prefix, string AccountId, string? Name, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
