using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Voiding holds and expiring them with <c>ExpireDue</c>.</summary>
public sealed class HoldVoidAndExpiryTests
{
    [Fact]
    public void Void_releases_what_is_left_with_an_exact_entry()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new PlaceHold("h1", 600, TimeSpan.FromSeconds(30), "cast"));
        harness.Run(new CaptureHold("c1", "h1", 100, Final: false));
        var @void = harness.Run(new VoidHold("v1", "h1"));

        Assert.Equal(
            new JournalEntry(5, JournalEntryKind.Void, 0, 500, 900, 0, "v1", "h1", 600, 100, LedgerHarness.Start.AddSeconds(30), "cast", null, @void.Request, LedgerHarness.Start),
            @void);
        harness.Refuse(new VoidHold("v2", "h1"), LedgerErrorCodes.HoldClosed, "holdId");
        harness.Refuse(new CaptureHold("c2", "h1", 0), LedgerErrorCodes.HoldClosed, "holdId");
        harness.Refuse(new VoidHold("v2", "h9"), LedgerErrorCodes.NotFound, "holdId");
        Assert.Null(harness.Ledger.NextExpiry);
    }

    [Fact]
    public void ExpireDue_expires_holds_whose_time_has_come_in_expiry_order_and_nothing_earlier()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new PlaceHold("late", 100, TimeSpan.FromSeconds(90)));
        harness.Run(new PlaceHold("b", 200, TimeSpan.FromSeconds(30), "cast-b"));
        harness.Run(new PlaceHold("a", 300, TimeSpan.FromSeconds(30)));
        harness.Run(new PlaceHold("forever", 50));
        harness.Run(new CaptureHold("cb", "b", 20, Final: false));

        harness.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(harness.Ledger.ExpireDue(harness.Now));
        harness.Advance(TimeSpan.FromSeconds(1));
        var expired = harness.Ledger.ExpireDue(harness.Now);

        var at = LedgerHarness.Start.AddSeconds(30);
        Assert.Equal(
            [
                new JournalEntry(8, JournalEntryKind.Expire, 0, 300, 650, 330, "~expire:a", "a", 300, 0, at, null, null, expired[0].Request, at),
                new JournalEntry(9, JournalEntryKind.Expire, 0, 180, 830, 150, "~expire:b", "b", 200, 20, at, "cast-b", null, expired[1].Request, at),
            ],
            expired);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(830, 150, 9), harness.Ledger.Balance);
        Assert.Equal(LedgerHarness.Start.AddSeconds(90), harness.Ledger.NextExpiry);
        Assert.Empty(harness.Ledger.ExpireDue(harness.Now)); // each hold expires once

        harness.Refuse(new CaptureHold("late-capture", "a", 1), LedgerErrorCodes.HoldClosed, "holdId");
        harness.Advance(TimeSpan.FromDays(1));
        Assert.Equal("~expire:late", Assert.Single(harness.Ledger.ExpireDue(harness.Now)).OperationId);
        Assert.Equal(50, harness.Ledger.Balance.Held); // a hold without expiry stays
    }

    [Fact]
    public void A_hold_expired_just_before_the_command_is_hold_closed_even_after_it_left_the_window()
    {
        // The account grain asks for unknown ids, then runs ExpireDue, then the command. Found by the model
        // property: the hold was open when ids were checked, so nobody looked it up, and once expired the
        // ledger no longer knew it had existed (not_found instead of hold_closed).
        var harness = new LedgerHarness(windowCapacity: 4);
        LedgerCommand[] history = [new OpenAccount(), new Deposit("seed", 100), new PlaceHold("h", 40, TimeSpan.FromSeconds(10))];
        foreach (var command in history.Concat(Enumerable.Range(0, 5).Select(i => (LedgerCommand)new Deposit($"d{i}", 1))))
        {
            harness.Ledger.MarkDurable(harness.Run(command).Sequence);
        }

        var capture = new CaptureHold("late", "h", 10);
        Assert.Equal(["late"], harness.Ledger.UnknownIds(capture)); // "h" is open, so only the new id is looked up
        harness.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("~expire:h", Assert.Single(harness.Ledger.ExpireDue(harness.Now)).OperationId);

        harness.Refuse(capture, LedgerErrorCodes.HoldClosed, "holdId");
        harness.Refuse(new VoidHold("late-void", "h"), LedgerErrorCodes.HoldClosed, "holdId");
    }

    [Fact]
    public void A_frozen_account_still_expires_holds()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Run(new PlaceHold("h", 100, TimeSpan.FromSeconds(5)));
        harness.Run(new FreezeAccount("f"));
        harness.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(100, Assert.Single(harness.Ledger.ExpireDue(harness.Now)).Released);
        Assert.Equal(new Grid.Ledger.Accounts.Balance(100, 0, 5), harness.Ledger.Balance);
    }
}
