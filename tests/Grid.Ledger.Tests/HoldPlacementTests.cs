using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Placing holds: they leave available at once, within funds, overdraft and the open-hold limit.</summary>
public sealed class HoldPlacementTests
{
    [Fact]
    public void Hold_moves_credits_from_available_to_held_with_an_exact_entry()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        var hold = harness.Run(new PlaceHold("h1", 400, TimeSpan.FromMinutes(5), "cast-1"));

        var expiresAt = LedgerHarness.Start.AddMinutes(5);
        Assert.Equal(
            new JournalEntry(3, JournalEntryKind.Hold, 400, 0, 600, 400, "h1", "h1", 400, 0, expiresAt, "cast-1", null, hold.Request, LedgerHarness.Start),
            hold);
        Assert.Equal(new Hold("h1", 400, 0, HoldStatus.Open, expiresAt, "cast-1", LedgerHarness.Start), Assert.Single(harness.Ledger.ToSnapshot().OpenHolds));
        Assert.Equal(expiresAt, harness.Ledger.NextExpiry);
    }

    [Fact]
    public void Six_holds_of_1000_on_5000_never_all_succeed()
    {
        var harness = LedgerHarness.Opened(deposit: 5_000);
        for (var i = 0; i < 5; i++)
        {
            harness.Run(new PlaceHold($"h{i}", 1_000));
        }

        var refusal = harness.Refuse(new PlaceHold("h5", 1_000), LedgerErrorCodes.InsufficientFunds);
        Assert.Equal((0L, 1_000L), (refusal.Available, refusal.Required));
        Assert.Equal(new Grid.Ledger.Accounts.Balance(0, 5_000, 7), harness.Ledger.Balance);
    }

    [Fact]
    public void Holds_may_use_the_overdraft_like_debits()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 50);
        harness.Refuse(new PlaceHold("h", 151), LedgerErrorCodes.InsufficientFunds);
        var hold = harness.Run(new PlaceHold("h", 150));
        Assert.Equal((-50L, 150L), (hold.AvailableAfter, hold.HeldAfter));
    }

    [Fact]
    public void The_open_hold_limit_is_enforced_and_closing_a_hold_frees_a_slot()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new ChangeSettings("limits", 0, 2, null));
        harness.Run(new PlaceHold("h1", 1));
        harness.Run(new PlaceHold("h2", 1));
        harness.Refuse(new PlaceHold("h3", 1), LedgerErrorCodes.TooManyHolds);
        harness.Run(new VoidHold("v1", "h1"));
        Assert.Equal(JournalEntryKind.Hold, harness.Run(new PlaceHold("h3", 1)).Kind);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(2_592_001_000)]
    public void Expiry_must_be_from_one_second_to_thirty_days(long milliseconds)
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        harness.Refuse(new PlaceHold("h", 1, TimeSpan.FromMilliseconds(milliseconds)), LedgerErrorCodes.ValidationFailed, "expiresInSeconds");
    }

    [Fact]
    public void Thirty_days_is_allowed()
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        Assert.Equal(LedgerHarness.Start.AddDays(30), harness.Run(new PlaceHold("h", 1, TimeSpan.FromDays(30))).ExpiresAt);
    }

    [Fact]
    public void A_hold_needs_a_positive_amount()
    {
        var harness = LedgerHarness.Opened(deposit: 10);
        harness.Refuse(new PlaceHold("h", 0), LedgerErrorCodes.ValidationFailed, "amount");
    }
}
