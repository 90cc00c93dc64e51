using Grid.Contracts.Chain;

namespace Grid.Gateway.Siwe;

/// <summary>A wallet and the account it is linked to.</summary>
internal sealed record WalletResponse(string Address, string? AccountId, string GuestAccountId, DateTimeOffset? LinkedAt)
{
    public static WalletResponse From(WalletView wallet) => new(wallet.Address, wallet.LinkedAccountId, wallet.GuestAccountId, wallet.LinkedAt);
}
