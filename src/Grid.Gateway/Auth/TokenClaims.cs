namespace Grid.Gateway.Auth;

/// <summary>
/// What a signed token says: its kind (guest or wallet session), the one account it is bound to, its scope
/// (read or charge, never admin), the wallet for sessions, and its lifetime. <see cref="TokenId"/> is random
/// and public, so logs and rate limits can tell tokens apart without holding one.
/// </summary>
public sealed record TokenClaims(
    CallerKind Kind, string AccountId, ApiScope Scope, string? Wallet, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, string TokenId);
