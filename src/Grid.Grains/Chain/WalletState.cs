namespace Grid.Grains.Chain;

/// <summary>A wallet's persisted link to an account. Immutable: a change is a new state, saved before it is used.</summary>
public sealed record WalletState
{
    public string? LinkedAccountId { get; init; }

    public DateTimeOffset? LinkedAt { get; init; }

    /// <summary>A move of the guest balance to the linked account that has begun and not yet finished.</summary>
    public GuestBalanceMove? Move { get; init; }
}
