namespace Grid.Grains.Chain;

/// <summary>A wallet's persisted link to an account. Immutable: a change is a new state, saved before it is used.</summary>
public sealed record WalletState
{
    public string? LinkedAccountId { get; init; }

    public DateTimeOffset? LinkedAt { get; init; }

    /// <summary>A move of the guest balance to the linked account that has begun and not yet finished.</summary>
    public GuestBalanceMove? Move { get; init; }

    /// <summary>
    /// Some of the guest balance has moved to a linked account: a guest credit taken back later (a reorg) may have gone
    /// with it, whatever the wallet is linked to by then (an unlink does not bring it back).
    /// </summary>
    public bool HandedOn { get; init; }
}
