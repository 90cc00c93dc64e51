namespace Grid.Gateway.Keys;

/// <summary>GET /v1/keys?accountId=: the account's keys, oldest first, revoked ones included.</summary>
public sealed record KeysResponse(IReadOnlyList<KeyResponse> Keys);
