namespace Grid.Gateway.Siwe;

/// <summary>POST /v1/auth/siwe/verify: a wallet session token, the wallet (EIP-55) and its account.</summary>
public sealed record WalletSessionResponse(string Token, string Address, string AccountId, DateTimeOffset ExpiresAt);
