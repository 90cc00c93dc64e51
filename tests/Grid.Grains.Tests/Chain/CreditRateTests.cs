using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Grid.Grains.Chain;
using Xunit;

namespace Grid.Grains.Tests.Chain;

/// <summary>Credits round down (never a fraction credited) and the amount asked rounds up (never short), exactly.</summary>
public sealed class CreditRateTests
{
    [Fact]
    public void A_token_rate_counts_whole_tokens_by_their_decimals()
    {
        var usdc = CreditRate.PerWholeUnit(100m, 6); // 100 credits a USDC
        Assert.Equal(250, usdc.CreditsFor(2_500_000));
        Assert.Equal(0, usdc.CreditsFor(9_999)); // less than one credit: nothing, not a fraction
        Assert.Equal(1, usdc.CreditsFor(10_000));
        Assert.Equal(1, usdc.CreditsFor(19_999));
        Assert.Equal(new BigInteger(2_500_000), usdc.UnitsFor(250));
    }

    [Fact]
    public void A_fractional_rate_is_exact_and_the_asked_amount_rounds_up()
    {
        var rate = CreditRate.PerWholeUnit(0.3m, 6); // 0.3 credits a token: 1 credit costs 3.333... tokens
        Assert.Equal(new BigInteger(3_333_334), rate.UnitsFor(1));
        Assert.Equal(1, rate.CreditsFor(3_333_334));
        Assert.Equal(0, rate.CreditsFor(3_333_333));
    }

    [Fact]
    public void An_ETH_price_from_a_feed_prices_wei()
    {
        // 3,000.12345678 USD an ETH (8 feed decimals), 10 credits a USD: 30,001.2345678 credits an ETH.
        var rate = CreditRate.FromUsdPrice(300_012_345_678, 8, 10m);
        Assert.Equal(30_001, rate.CreditsFor(BigInteger.Pow(10, 18)));
        Assert.Equal(3, rate.CreditsFor(BigInteger.Pow(10, 14))); // 3.0001 credits
        var wei = rate.UnitsFor(30_001);
        Assert.Equal(30_001, rate.CreditsFor(wei));
        Assert.Equal(30_000, rate.CreditsFor(wei - 1));
    }

    [Fact]
    public void More_credits_than_the_API_carries_are_refused_not_wrapped()
    {
        var rate = CreditRate.PerWholeUnit(1_000_000m, 0);
        Assert.Null(rate.CreditsFor(BigInteger.Pow(10, 12)));
        Assert.Equal(CreditRate.MaxCredits, rate.CreditsFor(CreditRate.MaxCredits / 1_000_000) + CreditRate.MaxCredits % 1_000_000);
    }

    [Fact]
    public void Rates_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRate.PerWholeUnit(0m, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRate.PerWholeUnit(-1m, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRate.FromUsdPrice(0, 8, 10m));
        Assert.Throws<ArgumentOutOfRangeException>(() => CreditRate.PerWholeUnit(1m, 6).CreditsFor(-1));
    }

    [Fact]
    public void The_units_asked_for_any_credits_buy_those_credits_and_one_unit_less_does_not()
    {
        Prop.ForAll(
            Gen.Choose(1, 1_000_000_000).ToArbitrary(),
            Gen.Choose(1, 1_000_000).ToArbitrary(),
            Gen.Choose(0, 18).ToArbitrary(),
            (credits, perUnitMillis, decimals) =>
            {
                var rate = CreditRate.PerWholeUnit(perUnitMillis / 1000m, decimals);
                var units = rate.UnitsFor(credits);
                return rate.CreditsFor(units) >= credits && (units == 0 || rate.CreditsFor(units - 1) < credits);
            }).QuickCheckThrowOnFailure();
    }
}
