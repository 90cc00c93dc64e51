namespace Grid.Gateway.Tokens;

/// <summary>A signed token as issued: the token itself, its public id, the account it is bound to, and when it stops working.</summary>
public sealed record IssuedTokenResponse(string Token, string TokenId, string AccountId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);
