namespace Grid.Grains.Chain;

/// <summary>An ERC-20 token the grid takes on a chain (e.g. USDC with 6 decimals), at a fixed rate.</summary>
public sealed class TokenSettings
{
    public string? Symbol { get; set; }

    public string? Address { get; set; }

    public int Decimals { get; set; } = 6;

    /// <summary>Credits for one whole token (10^Decimals units). Credits are rounded down: never a fraction credited.</summary>
    public decimal CreditsPerToken { get; set; }
}
