using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Grid.Ledger.Credits;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Prices times units rounded up to whole credits, with no digit of the product lost first.</summary>
public sealed class DecimalProductTests
{
    [Theory]
    [InlineData("6.2500000000000000000000000001", "16", "101")] // decimal's own product is 100: a credit undercharged
    [InlineData("7.0000000000000000000000000001", "2.0", "15")]
    [InlineData("0.0000000000000000000000000001", "1000000000000000", "1")]
    [InlineData("0.8", "2450", "1960")]
    [InlineData("0.8", "1000", "800")]
    [InlineData("0.3", "3", "1")]
    [InlineData("1.5", "3", "5")]
    [InlineData("0", "12345", "0")]
    [InlineData("79228162514264337593543950335", "1", "79228162514264337593543950335")]
    public void A_product_is_rounded_up_from_all_its_digits(string left, string right, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), DecimalProduct.Ceiling(Parse(left), Parse(right)));

    [Fact]
    public void Decimal_multiplication_alone_drops_the_fraction_that_makes_the_last_credit()
    {
        // What this type is for: the rounded product is whole, so decimal.Ceiling charges 100, and the payer owes 101.
        Assert.Equal(100m, decimal.Ceiling(Parse("6.2500000000000000000000000001") * 16));
        Assert.Equal(101m, DecimalProduct.Ceiling(Parse("6.2500000000000000000000000001"), 16));
    }

    [Fact]
    public void A_product_past_what_a_decimal_holds_is_an_overflow_and_a_negative_factor_is_refused()
    {
        Assert.Throws<OverflowException>(() => DecimalProduct.Ceiling(decimal.MaxValue, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalProduct.Ceiling(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalProduct.Ceiling(1, -0.5m));
    }

    [Fact]
    public void Where_decimal_multiplication_is_exact_both_agree()
    {
        // Nine digits each at any scale up to 9: the product has at most 18 digits, which decimal keeps exactly.
        var factor = Gen.Zip(Gen.Choose(0, 999_999_999), Gen.Choose(0, 9)).Select(p => new decimal(p.Item1, 0, 0, false, (byte)p.Item2));
        Prop.ForAll(Gen.Zip(factor, factor).ToArbitrary(), pair =>
            DecimalProduct.Ceiling(pair.Item1, pair.Item2) == decimal.Ceiling(pair.Item1 * pair.Item2)).QuickCheckThrowOnFailure();
    }

    private static decimal Parse(string value) => decimal.Parse(value, CultureInfo.InvariantCulture);
}
