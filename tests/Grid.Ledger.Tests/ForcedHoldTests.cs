using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>
/// Holds a payment rail imposes (a card dispute holds the disputed amount): placed whatever the balance, on a frozen
/// or indebted account too, and past the open-hold limit (which bounds the owner's holds, not the rail's), never on a
/// closed account.
/// </summary>
public sealed class ForcedHoldTests
{
    [Fact]
    public void Forced_hold_beyond_available_and_the_overdraft_is_placed_and_puts_the_account_in_debt()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 50);
        var hold = harness.Run(new PlaceHold("dispute-1", 400, TimeSpan.FromDays(30), "dp_1", Forced: true));

        Assert.Equal((JournalEntryKind.Hold, 400L, -300L, 400L, "dp_1"), (hold.Kind, hold.Amount, hold.AvailableAfter, hold.HeldAfter, hold.Reference));
        Assert.EndsWith("&forced=true", hold.Request, StringComparison.Ordinal);
        Assert.Equal(new Hold("dispute-1", 400, 0, HoldStatus.Open, LedgerHarness.Start.AddDays(30), "dp_1", LedgerHarness.Start),
            Assert.Single(harness.Ledger.ToSnapshot().OpenHolds));
        Assert.True(harness.Ledger.InDebt);

        harness.Refuse(new PlaceHold("h", 1), LedgerErrorCodes.NegativeBalance);
        harness.Refuse(new Debit("d", 1), LedgerErrorCodes.NegativeBalance);
    }

    [Fact]
    public void Forced_hold_within_available_is_an_ordinary_reservation()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        Assert.Equal(700, harness.Run(new PlaceHold("dispute", 300, Forced: true)).AvailableAfter);
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(600, harness.Run(new Debit("d", 100)).AvailableAfter);
    }

    [Fact]
    public void Forced_hold_is_placed_on_a_frozen_account_and_on_one_already_in_debt()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new FreezeAccount("f", "fraud review"));
        harness.Refuse(new PlaceHold("h", 10), LedgerErrorCodes.AccountFrozen);

        Assert.Equal(50, harness.Run(new PlaceHold("dispute-1", 50, Forced: true)).AvailableAfter);
        Assert.Equal(-30, harness.Run(new Reverse("rev", 80)).AvailableAfter);
        Assert.Equal(-70, harness.Run(new PlaceHold("dispute-2", 40, Forced: true)).AvailableAfter);
        Assert.Equal((AccountStatus.Frozen, true, 90L), (harness.Ledger.Status, harness.Ledger.InDebt, harness.Ledger.Balance.Held));
    }

    [Fact]
    public void Forced_hold_refuses_a_closed_account_and_is_placed_past_the_open_hold_limit()
    {
        var closed = LedgerHarness.Opened();
        closed.Run(new CloseAccount("close"));
        closed.Refuse(new PlaceHold("dispute", 10, Forced: true), LedgerErrorCodes.AccountClosed);

        // An owner who filled the limit with holds of its own must not keep a dispute's credits spendable.
        var limited = LedgerHarness.Opened(deposit: 100);
        limited.Run(new ChangeSettings("limits", OverdraftLimit: 0, MaxOpenHolds: 1, AutoReloadThreshold: null));
        limited.Run(new PlaceHold("h", 10));
        limited.Refuse(new PlaceHold("h2", 10), LedgerErrorCodes.TooManyHolds);
        Assert.Equal(-410, limited.Run(new PlaceHold("dispute", 500, Forced: true)).AvailableAfter);
        Assert.True(limited.Ledger.InDebt);
        Assert.Equal(510, limited.Ledger.Balance.Held);
        limited.Refuse(new PlaceHold("h3", 1), LedgerErrorCodes.NegativeBalance);
    }

    [Fact]
    public void Voiding_the_forced_hold_clears_the_debt_when_available_returns_to_zero()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new PlaceHold("dispute", 150, Forced: true));
        Assert.True(harness.Ledger.InDebt);

        var @void = harness.Run(new VoidHold("won", "dispute"));
        Assert.Equal((100L, 0L, 150L), (@void.AvailableAfter, @void.HeldAfter, @void.Released));
        Assert.False(harness.Ledger.InDebt);
        Assert.Equal(40, harness.Run(new Debit("d", 60)).AvailableAfter);
    }

    [Fact]
    public void Voiding_a_forced_hold_that_leaves_available_below_zero_keeps_the_debt()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new Reverse("rev", 120));
        harness.Run(new PlaceHold("dispute", 50, Forced: true));
        Assert.Equal(-20, harness.Run(new VoidHold("won", "dispute")).AvailableAfter);
        Assert.True(harness.Ledger.InDebt);
    }

    [Fact]
    public void Capturing_a_lost_dispute_leaves_the_debt_where_it_was()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new PlaceHold("dispute", 150, Forced: true));
        var capture = harness.Run(new CaptureHold("lost", "dispute", 150));
        Assert.Equal((-50L, 0L), (capture.AvailableAfter, capture.HeldAfter));
        Assert.True(harness.Ledger.InDebt);
        Assert.Equal(150, harness.Ledger.ToSnapshot().Totals.Captured);
    }

    [Fact]
    public void Forced_hold_replays_its_original_and_a_different_forced_flag_is_a_conflict_naming_forced()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        var hold = harness.Run(new PlaceHold("dispute", 150, Reference: "dp_1", Forced: true));
        harness.Run(new FreezeAccount("f"));

        var again = harness.Execute(new PlaceHold("dispute", 150, Reference: "dp_1", Forced: true));
        Assert.True(again.Replayed);
        Assert.Equal(hold, again.Entry);
        harness.Refuse(new PlaceHold("dispute", 150, Reference: "dp_1"), LedgerErrorCodes.IdempotencyConflict, "forced");
        harness.Refuse(new PlaceHold("dispute", 151, Reference: "dp_1"), LedgerErrorCodes.IdempotencyConflict, "amount");

        var ordinary = LedgerHarness.Opened(deposit: 100);
        ordinary.Run(new PlaceHold("h", 10));
        ordinary.Refuse(new PlaceHold("h", 10, Forced: true), LedgerErrorCodes.IdempotencyConflict, "forced");
    }

    [Fact]
    public void Forced_hold_that_would_overflow_below_the_smallest_long_is_refused()
    {
        var harness = LedgerHarness.Opened();
        for (var i = 0; i < 1_024; i++) // long.MinValue / MaxAmount is just over -1024
        {
            harness.Run(new Reverse($"r{i}", CreditMath.MaxAmount));
        }

        harness.Refuse(new PlaceHold("dispute", CreditMath.MaxAmount, Forced: true), LedgerErrorCodes.ValidationFailed, "amount");
        Assert.Equal(JournalEntryKind.Hold, harness.Run(new PlaceHold("dispute", 1, Forced: true)).Kind);
    }
}
