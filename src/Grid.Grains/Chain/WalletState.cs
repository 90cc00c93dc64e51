namespace Grid.Grains.Chain;

/// <summary>A wallet's persisted link to an account.</summary>
public sealed class WalletState
{
    public string? LinkedAccountId { get; set; }

    public DateTimeOffset? LinkedAt { get; set; }

    /// <summary>A move of the guest balance to the linked account that has begun and not yet finished.</summary>
    public GuestBalanceMove? Move { get; set; }
}
