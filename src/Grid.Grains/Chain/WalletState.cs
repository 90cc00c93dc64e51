namespace Grid.Grains.Chain;

/// <summary>A wallet's persisted link to an account.</summary>
public sealed class WalletState
{
    public string? LinkedAccountId { get; set; }

    public DateTimeOffset? LinkedAt { get; set; }
}
