namespace Grid.Grains.Chain;

/// <summary>
/// How ETH is priced on a chain: a fixed <see cref="CreditsPerEth"/>, or a Chainlink-style USD price feed read with
/// eth_call (<c>latestRoundData</c>) times <see cref="CreditsPerUsd"/>. Without either, ETH is not taken there.
/// </summary>
public sealed class EthSettings
{
    public decimal? CreditsPerEth { get; set; }

    public string? PriceFeed { get; set; }

    public decimal? CreditsPerUsd { get; set; }

    /// <summary>A price older than this is not used: intents are refused and credits wait for a fresh one.</summary>
    public TimeSpan MaxPriceAge { get; set; } = TimeSpan.FromHours(1);
}
