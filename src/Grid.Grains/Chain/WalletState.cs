namespace Grid.Grains.Chain;

/// <summary>A wallet's persisted link to an account. Immutable: a change is a new state, saved before it is used.</summary>
public sealed record WalletState
{
    public string? LinkedAccountId { get; init; }

    public DateTimeOffset? LinkedAt { get; init; }

    /// <summary>A move of the guest balance to the linked account that has begun and not yet finished.</summary>
    public GuestBalanceMove? Move { get; init; }

    /// <summary>
    /// The guest account's journal sequence of the last move's debit, once credits have left it for a linked account: a
    /// guest credit before it, taken back later (a reorg), may have gone with them, whatever the wallet is linked to by
    /// then (an unlink does not bring them back). A sequence, not a time: the credit and the debit are entries of one
    /// account, so they order without any clock.
    /// </summary>
    public long? HandedOnThrough { get; init; }
}
