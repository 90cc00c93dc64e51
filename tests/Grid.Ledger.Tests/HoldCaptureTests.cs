using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Capturing holds: partial, final, using a hold up, and the refusals around it.</summary>
public sealed class HoldCaptureTests
{
    private static LedgerHarness WithHold(long amount = 1_000, TimeSpan? expiresIn = null)
    {
        var harness = LedgerHarness.Opened(deposit: 2_000);
        harness.Run(new PlaceHold("h1", amount, expiresIn, "cast-1"));
        return harness;
    }

    [Fact]
    public void Partial_capture_keeps_the_hold_open_and_releases_nothing()
    {
        var harness = WithHold();
        var partial = harness.Run(new CaptureHold("c1", "h1", 300, Final: false));

        Assert.Equal(
            new JournalEntry(4, JournalEntryKind.Capture, 300, 0, 1_000, 700, "c1", "h1", 1_000, 300, null, "cast-1", null, partial.Request, LedgerHarness.Start),
            partial);
        Assert.Equal(new Hold("h1", 1_000, 300, HoldStatus.Open, null, "cast-1", LedgerHarness.Start), Assert.Single(harness.Ledger.ToSnapshot().OpenHolds));
        Assert.Equal(HoldStatus.Open, HoldView.After(partial)!.Status);
    }

    [Fact]
    public void Final_capture_takes_the_amount_and_releases_the_rest_in_the_same_entry()
    {
        var harness = WithHold();
        harness.Run(new CaptureHold("c1", "h1", 300, Final: false));
        var final = harness.Run(new CaptureHold("c2", "h1", 200));

        Assert.Equal(
            new JournalEntry(5, JournalEntryKind.Capture, 200, 500, 1_500, 0, "c2", "h1", 1_000, 500, null, "cast-1", null, final.Request, LedgerHarness.Start),
            final);
        Assert.Empty(harness.Ledger.ToSnapshot().OpenHolds);
        Assert.Equal(HoldStatus.Captured, HoldView.After(final)!.Status);
        Assert.Equal(500, harness.Ledger.ToSnapshot().Totals.Captured);
    }

    [Fact]
    public void Final_capture_of_zero_releases_everything()
    {
        var harness = WithHold();
        var final = harness.Run(new CaptureHold("c", "h1", 0));
        Assert.Equal((0L, 1_000L, 2_000L, 0L), (final.Amount, final.Released, final.AvailableAfter, final.HeldAfter));
    }

    [Fact]
    public void Partial_captures_that_use_the_hold_up_close_it_as_captured()
    {
        var harness = WithHold(amount: 500);
        harness.Run(new CaptureHold("c1", "h1", 200, Final: false));
        var last = harness.Run(new CaptureHold("c2", "h1", 300, Final: false));

        Assert.Equal((300L, 0L, 500L, 0L), (last.Amount, last.Released, last.HoldCaptured!.Value, last.HeldAfter));
        Assert.Equal(HoldStatus.Captured, HoldView.After(last)!.Status);
        Assert.Empty(harness.Ledger.ToSnapshot().OpenHolds);
        harness.Refuse(new CaptureHold("c3", "h1", 0, Final: false), LedgerErrorCodes.HoldClosed, "holdId");
    }

    [Fact]
    public void Capture_beyond_what_is_left_is_a_validation_error_on_amount()
    {
        var harness = WithHold();
        harness.Run(new CaptureHold("c1", "h1", 300, Final: false));
        harness.Refuse(new CaptureHold("c2", "h1", 701), LedgerErrorCodes.ValidationFailed, "amount");
        harness.Refuse(new CaptureHold("c2", "h1", 701, Final: false), LedgerErrorCodes.ValidationFailed, "amount");
        Assert.Equal(700, harness.Run(new CaptureHold("c2", "h1", 700)).Amount);
    }

    [Fact]
    public void Capturing_a_closed_hold_is_hold_closed_and_an_unknown_one_is_not_found()
    {
        var harness = WithHold();
        harness.Run(new CaptureHold("c1", "h1", 10));
        harness.Refuse(new CaptureHold("c2", "h1", 1), LedgerErrorCodes.HoldClosed, "holdId");
        harness.Refuse(new CaptureHold("c2", "nope", 1), LedgerErrorCodes.NotFound, "holdId");
        harness.Refuse(new CaptureHold("c2", "seed", 1), LedgerErrorCodes.NotFound, "holdId"); // an operation, but no hold
        harness.Refuse(new CaptureHold("c2", "bad id", 1), LedgerErrorCodes.ValidationFailed, "holdId");
        harness.Refuse(new CaptureHold("c2", "h1", -1), LedgerErrorCodes.ValidationFailed, "amount");
    }

    [Fact]
    public void Capture_at_or_after_expiry_is_hold_closed_even_before_the_expiry_entry_is_written()
    {
        var harness = WithHold(expiresIn: TimeSpan.FromSeconds(60));
        harness.Advance(TimeSpan.FromSeconds(59));
        harness.Run(new CaptureHold("c1", "h1", 100, Final: false));
        harness.Advance(TimeSpan.FromSeconds(1));

        harness.Refuse(new CaptureHold("c2", "h1", 100), LedgerErrorCodes.HoldClosed, "holdId");
        harness.Refuse(new VoidHold("v", "h1"), LedgerErrorCodes.HoldClosed, "holdId");
        Assert.Equal(900, harness.Ledger.Balance.Held); // still held until ExpireDue runs
    }
}
