namespace Grid.Gateway.Accounts;

/// <summary>GET .../holds: the account's open holds.</summary>
internal sealed record HoldsResponse(IReadOnlyList<HoldResponse> Holds);
