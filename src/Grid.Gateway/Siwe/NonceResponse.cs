namespace Grid.Gateway.Siwe;

/// <summary>GET /v1/auth/siwe/nonce: the nonce a SIWE message must carry, and until when it is accepted.</summary>
public sealed record NonceResponse(string Nonce, DateTimeOffset ExpiresAt);
