namespace Grid.Gateway.Siwe;

/// <summary>A wallet and the account it is linked to.</summary>
internal sealed record WalletResponse(string Address, string? AccountId, string GuestAccountId, DateTimeOffset? LinkedAt);
