using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Credit sums are checked: an overflow is a validation error naming the field, never a wrap.</summary>
public sealed class CreditMathTests
{
    [Fact]
    public void Sums_that_overflow_are_refused_naming_the_field()
    {
        Assert.Equal(long.MaxValue, CreditMath.Add(long.MaxValue - 1, 1, "amount"));
        var add = Assert.Throws<LedgerException>(() => CreditMath.Add(long.MaxValue, 1, "amount"));
        Assert.Equal((LedgerErrorCodes.ValidationFailed, "amount"), (add.Code, add.Field));
        var subtract = Assert.Throws<LedgerException>(() => CreditMath.Subtract(long.MinValue, 1, "debit"));
        Assert.Equal((LedgerErrorCodes.ValidationFailed, "debit"), (subtract.Code, subtract.Field));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(9_007_199_254_740_991, true)]
    [InlineData(9_007_199_254_740_992, false)]
    [InlineData(-1, false)]
    public void Positive_amounts_run_from_one_to_the_largest_exact_javascript_integer(long amount, bool accepted)
    {
        var refusal = Record.Exception(() => CreditMath.RequirePositive(amount, "amount"));
        Assert.Equal(accepted, refusal is null);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(-1, false)]
    [InlineData(9_007_199_254_740_992, false)]
    public void Non_negative_amounts_allow_zero(long amount, bool accepted)
    {
        var refusal = Record.Exception(() => CreditMath.RequireNonNegative(amount, "amount"));
        Assert.Equal(accepted, refusal is null);
    }
}
