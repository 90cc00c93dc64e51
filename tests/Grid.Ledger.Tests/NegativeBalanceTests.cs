using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>
/// An account a payment rail took below zero (a reversal past what was available) is in debt: it spends nothing,
/// whatever its overdraft, until entries bring available back to zero, or, for an account already using its
/// overdraft, back to where it stood before the rail's entry.
/// </summary>
public sealed class NegativeBalanceTests
{
    [Fact]
    public void Reversal_beyond_available_puts_the_account_in_debt_and_refuses_debits_and_holds_despite_the_overdraft()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 1_000);
        Assert.False(harness.Ledger.InDebt);

        var reversal = harness.Run(new Reverse("chargeback", 150, "pay_1"));
        Assert.Equal(-50, reversal.AvailableAfter);
        Assert.True(harness.Ledger.InDebt);
        Assert.True(harness.Ledger.ToSnapshot().InDebt);

        var debit = harness.Refuse(new Debit("d", 1), LedgerErrorCodes.NegativeBalance);
        Assert.Equal(-50, debit.Available);
        harness.Refuse(new PlaceHold("h", 1), LedgerErrorCodes.NegativeBalance);
        harness.Refuse(new Refund("r", 1), LedgerErrorCodes.InsufficientFunds); // refunds never went below zero anyway
    }

    [Fact]
    public void A_reversal_that_leaves_zero_is_no_debt_and_an_overdraft_debit_is_none_either()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 50);
        Assert.Equal(0, harness.Run(new Reverse("rev", 100)).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);

        Assert.Equal(-40, harness.Run(new Debit("d1", 40)).AvailableAfter); // the account's own overdraft
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(-50, harness.Run(new Debit("d2", 10)).AvailableAfter);

        harness.Run(new Reverse("rev-2", 1)); // a rail taking more from an overdrawn account is debt
        Assert.True(harness.Ledger.InDebt);
    }

    [Fact]
    public void An_overdrawn_account_owes_what_the_rail_took_and_a_won_dispute_returns_it_to_where_it_was()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 500);
        Assert.Equal(-200, harness.Run(new Debit("d1", 300)).AvailableAfter);
        Assert.Equal(-300, harness.Run(new PlaceHold("dispute", 100, Forced: true)).AvailableAfter);
        Assert.Equal((true, -200L), (harness.Ledger.InDebt, harness.Ledger.DebtFloor));
        harness.Refuse(new Debit("d2", 1), LedgerErrorCodes.NegativeBalance);

        Assert.Equal(-200, harness.Run(new VoidHold("won", "dispute")).AvailableAfter);
        Assert.Equal((false, 0L), (harness.Ledger.InDebt, harness.Ledger.DebtFloor));
        Assert.Equal(-250, harness.Run(new Debit("d2", 50)).AvailableAfter); // the overdraft it was granted, as before
    }

    [Fact]
    public void An_overdrawn_account_spends_again_once_deposits_repay_what_rails_took_and_no_further_than_its_limit()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 500);
        harness.Run(new Debit("d1", 300));
        harness.Run(new PlaceHold("dispute", 100, Forced: true));
        Assert.Equal(-300, harness.Run(new CaptureHold("lost", "dispute", 100)).AvailableAfter);
        Assert.Equal(-350, harness.Run(new Reverse("refunded", 50)).AvailableAfter); // more owed; the floor stays
        Assert.Equal(-200, harness.Ledger.DebtFloor);

        Assert.Equal(-250, harness.Run(new Deposit("top-up-1", 100)).AvailableAfter);
        harness.Refuse(new PlaceHold("h", 1), LedgerErrorCodes.NegativeBalance);
        Assert.Equal(-200, harness.Run(new Deposit("top-up-2", 50)).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(-500, harness.Run(new Debit("d2", 300)).AvailableAfter);
        harness.Refuse(new Debit("d3", 1), LedgerErrorCodes.InsufficientFunds);
    }

    [Fact]
    public void A_negative_adjustment_is_the_operator_s_and_is_no_debt()
    {
        var harness = LedgerHarness.Opened(deposit: 10, overdraftLimit: 100);
        Assert.Equal(-20, harness.Run(new Adjust("fix", -30, "double credit")).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(-30, harness.Run(new Debit("d", 10)).AvailableAfter);
    }

    [Fact]
    public void Deposits_clear_the_debt_only_once_available_is_back_at_zero_and_then_debits_work_again()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 10);
        harness.Run(new Reverse("rev", 150));

        Assert.Equal(-20, harness.Run(new Deposit("top-up-1", 30)).AvailableAfter);
        Assert.True(harness.Ledger.InDebt);
        harness.Refuse(new Debit("d", 5), LedgerErrorCodes.NegativeBalance);

        Assert.Equal(0, harness.Run(new Deposit("top-up-2", 20)).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(-5, harness.Run(new Debit("d", 5)).AvailableAfter); // the overdraft is usable again
        Assert.Equal(JournalEntryKind.Hold, harness.Run(new PlaceHold("h", 5)).Kind);
        Assert.False(harness.Ledger.InDebt);
    }

    [Fact]
    public void An_adjustment_back_to_zero_clears_the_debt_too()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new Reverse("rev", 130));
        Assert.Equal(-5, harness.Run(new Adjust("goodwill-1", 25, "goodwill")).AvailableAfter);
        Assert.True(harness.Ledger.InDebt);
        Assert.Equal(0, harness.Run(new Adjust("goodwill-2", 5, "goodwill")).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);
    }

    [Fact]
    public void In_debt_everything_but_spending_still_works()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new PlaceHold("h1", 300));
        harness.Run(new PlaceHold("h2", 200));
        harness.Run(new PlaceHold("h3", 100, TimeSpan.FromMinutes(1)));
        Assert.Equal(-200, harness.Run(new Reverse("rev", 600)).AvailableAfter);
        Assert.True(harness.Ledger.InDebt);

        Assert.Equal((-200L, 500L), (harness.Run(new CaptureHold("c1", "h1", 100, Final: false)).AvailableAfter, harness.Ledger.Balance.Held));
        Assert.Equal(-210, harness.Run(new Adjust("fee", -10, "fee")).AvailableAfter);
        Assert.Equal(-215, harness.Run(new Reverse("rev-2", 5)).AvailableAfter);
        harness.Run(new FreezeAccount("f", "dispute"));
        harness.Run(new UnfreezeAccount("u"));
        harness.Run(new ChangeSettings("limits", OverdraftLimit: 5_000, MaxOpenHolds: 10, AutoReloadThreshold: null));
        harness.Refuse(new Debit("d", 1), LedgerErrorCodes.NegativeBalance); // a larger overdraft does not lift it
        Assert.True(harness.Ledger.InDebt);

        // A final capture releases the rest of h1 (100): still below zero.
        Assert.Equal(-115, harness.Run(new CaptureHold("c2", "h1", 100)).AvailableAfter);
        Assert.True(harness.Ledger.InDebt);

        // The expiry of h3 returns 100: still short. The void of h2 returns 200: back above zero.
        harness.Advance(TimeSpan.FromMinutes(2));
        var expired = Assert.Single(harness.Ledger.ExpireDue(harness.Now));
        Assert.Equal((JournalEntryKind.Expire, -15L), (expired.Kind, expired.AvailableAfter));
        Assert.True(harness.Ledger.InDebt);
        Assert.Equal(185, harness.Run(new VoidHold("v", "h2")).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(85, harness.Run(new Debit("d", 100)).AvailableAfter);
    }

    [Fact]
    public void A_debit_made_before_the_debt_still_replays_its_original_entry()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        var debit = harness.Run(new Debit("d", 60));
        harness.Run(new Reverse("rev", 100));

        var again = harness.Execute(new Debit("d", 60));
        Assert.True(again.Replayed);
        Assert.Equal(debit, again.Entry);
        harness.Refuse(new Debit("d", 61), LedgerErrorCodes.IdempotencyConflict, "amount");
    }

    [Fact]
    public void An_account_in_debt_is_not_empty_and_closes_once_settled()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new Reverse("rev", 130));
        harness.Refuse(new CloseAccount("close"), LedgerErrorCodes.AccountNotEmpty);
        harness.Run(new Deposit("settle", 30));
        Assert.Equal(JournalEntryKind.Close, harness.Run(new CloseAccount("close")).Kind);
        Assert.False(harness.Ledger.InDebt);
    }
}
