using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Grid.Ledger.Credits;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Money to credits: the payer is credited down and charged up, and overflow is an error.</summary>
public sealed class CreditConversionTests
{
    private static readonly CreditConversion Default = CreditConversion.Default;

    [Fact]
    public void Default_rate_is_ten_credits_per_cent_and_one_thousand_per_dollar()
    {
        Assert.Equal(10, Default.CreditsForUsdCents(1));
        Assert.Equal(1_000, Default.CreditsForUsdCents(100));
        Assert.Equal(1_990, Default.CreditsForUsdCents(199));
        Assert.Equal(0, Default.CreditsForUsdCents(0));
    }

    [Fact]
    public void Cents_that_buy_a_fraction_of_a_credit_are_credited_down()
    {
        var dollarCredits = new CreditConversion(1); // 1 credit = $1
        Assert.Equal(1, dollarCredits.CreditsForUsdCents(199));
        Assert.Equal(0, dollarCredits.CreditsForUsdCents(99));
        Assert.Equal(2, dollarCredits.CreditsForUsdCents(200));
        var odd = new CreditConversion(333); // 3.33 credits per cent
        Assert.Equal(3, odd.CreditsForUsdCents(1));
        Assert.Equal(6, odd.CreditsForUsdCents(2));
    }

    [Fact]
    public void Credits_worth_a_fraction_of_a_cent_are_charged_up()
    {
        Assert.Equal(1, Default.UsdCentsForCredits(1)); // $0.001 costs a whole cent
        Assert.Equal(1, Default.UsdCentsForCredits(10));
        Assert.Equal(2, Default.UsdCentsForCredits(11));
        Assert.Equal(0, Default.UsdCentsForCredits(0));
        Assert.Equal(100, new CreditConversion(1).UsdCentsForCredits(1));
    }

    [Fact]
    public void Usdc_with_six_decimals_converts_at_one_thousand_credits_per_token()
    {
        Assert.Equal(1_000, Default.CreditsForTokenUnits(1_000_000, 6));
        Assert.Equal(1, Default.CreditsForTokenUnits(1_000, 6));
        Assert.Equal(0, Default.CreditsForTokenUnits(999, 6)); // 0.999 credits: rounded down
        Assert.Equal(1, Default.CreditsForTokenUnits(1_999, 6));
        Assert.Equal(new BigInteger(1_000), Default.TokenUnitsForCredits(1, 6));
        Assert.Equal(new BigInteger(1_000_000), Default.TokenUnitsForCredits(1_000, 6));
    }

    [Fact]
    public void Token_units_for_credits_round_up_when_the_rate_does_not_divide()
    {
        var rate = new CreditConversion(3); // 1 credit = $0.333...
        Assert.Equal(new BigInteger(333_334), rate.TokenUnitsForCredits(1, 6));
        Assert.Equal(new BigInteger(1_000_000), rate.TokenUnitsForCredits(3, 6));
        Assert.Equal(0, rate.CreditsForTokenUnits(333_333, 6));
        Assert.Equal(1, rate.CreditsForTokenUnits(333_334, 6));
    }

    [Fact]
    public void Eighteen_decimal_tokens_beyond_a_long_are_an_overflow_error_not_a_wrap()
    {
        var units = BigInteger.Pow(10, 18) * 10_000_000_000_000_000; // 1e16 tokens = 1e19 credits
        Assert.Throws<OverflowException>(() => Default.CreditsForTokenUnits(units, 18));
        Assert.Equal(9_000_000_000_000_000_000, Default.CreditsForTokenUnits(BigInteger.Pow(10, 18) * 9_000_000_000_000_000, 18));
    }

    [Fact]
    public void Cents_beyond_what_a_long_of_credits_holds_are_an_overflow_error()
    {
        Assert.Throws<OverflowException>(() => Default.CreditsForUsdCents(long.MaxValue));
        Assert.Throws<OverflowException>(() => new CreditConversion(1).UsdCentsForCredits(long.MaxValue));
        Assert.Equal(long.MaxValue / 10 * 10, Default.CreditsForUsdCents(long.MaxValue / 10));
    }

    [Fact]
    public void Negative_amounts_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.CreditsForUsdCents(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.UsdCentsForCredits(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.CreditsForTokenUnits(-1, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.TokenUnitsForCredits(-1, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.CreditsForTokenUnits(1, -1));
    }

    [Fact]
    public void Buying_back_what_a_payment_bought_never_costs_more_than_it_paid_and_charging_always_covers()
    {
        var cases = Gen.Zip(Gen.Elements(1L, 3L, 7L, 333L, 1_000L, 12_345L), Gen.Choose(0, int.MaxValue).Select(n => (long)n));
        Prop.ForAll(cases.ToArbitrary(), pair =>
        {
            var (rate, amount) = pair;
            var conversion = new CreditConversion(rate);
            var credited = conversion.CreditsForUsdCents(amount);
            var charged = conversion.UsdCentsForCredits(amount);
            // Credited down: those credits cost at most what was paid. Charged up: the charge buys at least the credits.
            return conversion.UsdCentsForCredits(credited) <= amount
                && conversion.CreditsForUsdCents(charged) >= amount
                && conversion.CreditsForTokenUnits(conversion.TokenUnitsForCredits(amount, 6), 6) >= amount
                && conversion.TokenUnitsForCredits(conversion.CreditsForTokenUnits(amount, 6), 6) <= amount;
        }).QuickCheckThrowOnFailure();
    }
}
