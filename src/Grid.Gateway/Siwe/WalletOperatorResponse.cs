using Grid.Contracts.Chain;

namespace Grid.Gateway.Siwe;

/// <summary>A wallet as the operator sees it: its link, and a move of its guest balance waiting for a person.</summary>
internal sealed record WalletOperatorResponse(string Address, string? AccountId, string GuestAccountId, DateTimeOffset? LinkedAt, StuckMoveResponse? StuckMove)
{
    public static WalletOperatorResponse From(WalletView wallet) => new(
        wallet.Address,
        wallet.LinkedAccountId,
        wallet.GuestAccountId,
        wallet.LinkedAt,
        wallet.StuckMove is { } stuck ? new StuckMoveResponse(stuck.OperationId, stuck.ToAccountId, stuck.Amount, stuck.Reason) : null);
}
