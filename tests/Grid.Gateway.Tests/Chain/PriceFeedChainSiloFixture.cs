using System.Numerics;

namespace Grid.Gateway.Tests.Chain;

/// <summary>
/// The chain silo pricing ETH by the chain's Chainlink-style feed (TestPriceFeed, 8 decimals) at 12.5 credits a
/// dollar, with the fixed ETH rate unset, refusing a price older than <see cref="MaxPriceAge"/>.
/// </summary>
public sealed class PriceFeedChainSiloFixture : ChainSiloFixture
{
    /// <summary>Credits a dollar, in tenths: 12.5, a rate with a fraction, as an operator may set one.</summary>
    public const int CreditsPerUsdTenths = 125;

    public static readonly TimeSpan MaxPriceAge = TimeSpan.FromMinutes(10);

    /// <summary>Credits for <paramref name="wei"/> at a feed answer (8 decimals): floor(wei * answer * 12.5 / 10^(18+8)).</summary>
    public static BigInteger CreditsFor(BigInteger wei, BigInteger answer) =>
        wei * answer * CreditsPerUsdTenths / BigInteger.Pow(10, 18 + 8 + 1);

    /// <summary>The fewest wei worth <paramref name="credits"/> at a feed answer: the division rounded up.</summary>
    public static BigInteger WeiFor(long credits, BigInteger answer)
    {
        var numerator = credits * BigInteger.Pow(10, 18 + 8 + 1);
        var denominator = answer * CreditsPerUsdTenths;
        return (numerator + denominator - 1) / denominator;
    }

    protected override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        ["Grid__Chains__0__Eth__CreditsPerEth"] = "",
        ["Grid__Chains__0__Eth__PriceFeed"] = Chain.Contracts.PriceFeed,
        ["Grid__Chains__0__Eth__CreditsPerUsd"] = "12.5",
        ["Grid__Chains__0__Eth__MaxPriceAge"] = MaxPriceAge.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };
}
