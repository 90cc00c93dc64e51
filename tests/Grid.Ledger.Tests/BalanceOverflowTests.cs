using Grid.Ledger.Commands;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Balances near the limits of a long: every movement that would overflow is refused and changes nothing.</summary>
public sealed class BalanceOverflowTests
{
    // long.MaxValue / MaxAmount is just over 1024: 1024 maximal deposits fit, the 1025th does not.
    private const int MaximalDepositsThatFit = 1_024;

    [Fact]
    public void A_deposit_that_would_overflow_the_balance_is_refused_on_amount()
    {
        var harness = LedgerHarness.Opened();
        for (var i = 0; i < MaximalDepositsThatFit; i++)
        {
            harness.Run(new Deposit($"d{i}", CreditMath.MaxAmount));
        }

        harness.Refuse(new Deposit("one-more", CreditMath.MaxAmount), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Adjust("adj", CreditMath.MaxAmount, "bonus"), LedgerErrorCodes.ValidationFailed, "amount");
        Assert.Equal(MaximalDepositsThatFit * CreditMath.MaxAmount, harness.Ledger.Balance.Available);
    }

    [Fact]
    public void Reversals_that_would_overflow_below_the_smallest_long_are_refused()
    {
        var harness = LedgerHarness.Opened();
        for (var i = 0; i < MaximalDepositsThatFit; i++)
        {
            harness.Run(new Reverse($"r{i}", CreditMath.MaxAmount));
        }

        harness.Refuse(new Reverse("one-more", CreditMath.MaxAmount), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Adjust("adj", -CreditMath.MaxAmount, "fee"), LedgerErrorCodes.ValidationFailed, "amount");
    }

    [Fact]
    public void Debiting_a_huge_overdraft_after_huge_reversals_is_refused_or_applied_never_half_done()
    {
        // Adjustments lift the balance to the top of a long, reversals bring it back to zero; the lifetime
        // totals are then both near long.MaxValue. A debit into the overdraft must still be a clean yes or no.
        var harness = LedgerHarness.Opened(overdraftLimit: CreditMath.MaxAmount);
        for (var i = 0; i < MaximalDepositsThatFit; i++)
        {
            harness.Run(new Adjust($"a{i}", CreditMath.MaxAmount, "lift"));
            harness.Run(new Reverse($"r{i}", CreditMath.MaxAmount));
        }

        var before = harness.Ledger.ToSnapshot();
        try
        {
            var debit = harness.Run(new Debit("deep", 2_000));
            Assert.Equal(-2_000, debit.AvailableAfter);
            Assert.Equal(-2_000, harness.Ledger.Balance.Available);
        }
        catch (LedgerException refused)
        {
            Assert.Equal(LedgerErrorCodes.ValidationFailed, refused.Code);
            LedgerHarness.AssertSameState(before, harness.Ledger.ToSnapshot());
        }
    }

    [Fact]
    public void A_deposit_or_adjustment_that_would_overflow_available_plus_held_is_refused_and_changes_nothing()
    {
        // Available alone still fits; together with what is held it would not, and the account's total must fit too.
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new PlaceHold("h", 1_000));
        for (var i = 0; i < MaximalDepositsThatFit; i++)
        {
            harness.Run(new Adjust($"a{i}", CreditMath.MaxAmount, "grant"));
        }

        var room = long.MaxValue - harness.Ledger.Balance.Available - harness.Ledger.Balance.Held;
        var before = harness.Ledger.ToSnapshot();
        harness.Refuse(new Deposit("over", room + 1), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new Adjust("over-adj", room + 1, "grant"), LedgerErrorCodes.ValidationFailed, "amount");
        LedgerHarness.AssertSameState(before, harness.Ledger.ToSnapshot());

        harness.Run(new Deposit("fits", room));
        Assert.Equal(long.MaxValue, harness.Ledger.Balance.Available + harness.Ledger.Balance.Held);
        Assert.Equal(long.MaxValue, harness.Run(new VoidHold("v", "h")).AvailableAfter); // released back: still fits
    }
}
