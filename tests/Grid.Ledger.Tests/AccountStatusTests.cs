using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Freezing, unfreezing and closing: what each status lets through.</summary>
public sealed class AccountStatusTests
{
    [Fact]
    public void Frozen_account_refuses_debits_holds_and_refunds_even_when_funded()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        var freeze = harness.Run(new FreezeAccount("f", "chargeback review"));
        Assert.Equal((JournalEntryKind.Freeze, 0L, 1_000L, "chargeback review"), (freeze.Kind, freeze.Amount, freeze.AvailableAfter, freeze.Reference));

        harness.Refuse(new Debit("d", 1), LedgerErrorCodes.AccountFrozen);
        harness.Refuse(new PlaceHold("h", 1), LedgerErrorCodes.AccountFrozen);
        harness.Refuse(new Refund("r", 1), LedgerErrorCodes.AccountFrozen);
        Assert.Equal(AccountStatus.Frozen, harness.Ledger.Status);
    }

    [Fact]
    public void Frozen_account_still_settles_deposits_adjustments_reversals_and_existing_holds()
    {
        var harness = LedgerHarness.Opened(deposit: 1_000);
        harness.Run(new PlaceHold("h1", 300));
        harness.Run(new PlaceHold("h2", 200));
        harness.Run(new FreezeAccount("f"));

        Assert.Equal(750, harness.Run(new Deposit("dep", 250)).AvailableAfter);
        Assert.Equal(740, harness.Run(new Adjust("adj", -10, "fee")).AvailableAfter);
        Assert.Equal(700, harness.Run(new Reverse("rev", 40)).AvailableAfter);
        var capture = harness.Run(new CaptureHold("c", "h1", 100));
        Assert.Equal((900L, 200L), (capture.AvailableAfter, capture.HeldAfter));
        var @void = harness.Run(new VoidHold("v", "h2"));
        Assert.Equal((1_100L, 0L), (@void.AvailableAfter, @void.HeldAfter));

        var unfreeze = harness.Run(new UnfreezeAccount("u"));
        Assert.Equal(JournalEntryKind.Unfreeze, unfreeze.Kind);
        Assert.Equal(1_099, harness.Run(new Debit("d", 1)).AvailableAfter);
    }

    [Fact]
    public void Freezing_twice_or_unfreezing_an_active_account_is_invalid_state()
    {
        var harness = LedgerHarness.Opened();
        harness.Refuse(new UnfreezeAccount("u"), LedgerErrorCodes.InvalidState);
        harness.Run(new FreezeAccount("f1"));
        harness.Refuse(new FreezeAccount("f2"), LedgerErrorCodes.InvalidState);
    }

    [Fact]
    public void Only_an_empty_account_closes_and_held_credits_count()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Refuse(new CloseAccount("c"), LedgerErrorCodes.AccountNotEmpty);
        harness.Run(new PlaceHold("h", 100));
        Assert.Equal(0, harness.Ledger.Balance.Available);
        harness.Refuse(new CloseAccount("c"), LedgerErrorCodes.AccountNotEmpty); // 100 still held
        harness.Run(new CaptureHold("cap", "h", 100));

        var close = harness.Run(new CloseAccount("c"));
        Assert.Equal((JournalEntryKind.Close, 0L, 0L, 0L), (close.Kind, close.Amount, close.AvailableAfter, close.HeldAfter));
        Assert.Equal(AccountStatus.Closed, harness.Ledger.Status);
    }

    [Fact]
    public void Negative_available_is_not_empty_either()
    {
        var harness = LedgerHarness.Opened(overdraftLimit: 10);
        harness.Run(new Debit("d", 10));
        harness.Refuse(new CloseAccount("c"), LedgerErrorCodes.AccountNotEmpty);
    }

    [Fact]
    public void An_account_that_reloads_itself_closes_only_once_its_threshold_is_cleared()
    {
        var harness = LedgerHarness.Opened();
        harness.Run(new ChangeSettings("reload-on", 0, 10, 1_000));
        harness.Refuse(new CloseAccount("c"), LedgerErrorCodes.InvalidState);
        Assert.Equal(AccountStatus.Active, harness.Ledger.Status);

        harness.Run(new ChangeSettings("reload-off", 0, 10, null));
        Assert.Equal(JournalEntryKind.Close, harness.Run(new CloseAccount("c")).Kind);
    }

    [Fact]
    public void A_frozen_empty_account_may_close()
    {
        var harness = LedgerHarness.Opened();
        harness.Run(new FreezeAccount("f"));
        Assert.Equal(JournalEntryKind.Close, harness.Run(new CloseAccount("c")).Kind);
    }

    [Fact]
    public void Closed_account_refuses_everything_new_but_replays_what_it_did()
    {
        var harness = LedgerHarness.Opened();
        var close = harness.Run(new CloseAccount("c"));

        LedgerCommand[] refused =
        [
            new Deposit("d", 1), new Debit("d", 1), new Refund("d", 1), new Reverse("d", 1), new Adjust("d", 1, "r"),
            new PlaceHold("d", 1), new CaptureHold("d", "h", 1), new VoidHold("d", "h"), new FreezeAccount("d"),
            new UnfreezeAccount("d"), new CloseAccount("d"), new ChangeSettings("d", 0, 10, null),
        ];
        foreach (var command in refused)
        {
            harness.Refuse(command, LedgerErrorCodes.AccountClosed);
        }

        harness.Refuse(new OpenAccount(), LedgerErrorCodes.AlreadyExists, "id");
        var again = harness.Execute(new CloseAccount("c"));
        Assert.True(again.Replayed);
        Assert.Equal(close, again.Entry);
    }

    [Fact]
    public void Settings_change_overdraft_and_hold_limit()
    {
        var harness = LedgerHarness.Opened();
        var settings = harness.Run(new ChangeSettings("s", 30, 2, 5));
        Assert.Equal((JournalEntryKind.Settings, 0L), (settings.Kind, settings.Amount));
        Assert.Equal(new AccountSettings(30, 2, 5), harness.Ledger.ToSnapshot().Settings);
        Assert.Equal(-30, harness.Run(new Debit("d", 30)).AvailableAfter);
        harness.Refuse(new ChangeSettings("s2", 0, 0, null), LedgerErrorCodes.ValidationFailed, "maxOpenHolds");
        harness.Refuse(new ChangeSettings("s2", -1, 1, null), LedgerErrorCodes.ValidationFailed, "overdraftLimit");
    }

    [Fact]
    public void Auto_reload_is_wanted_only_on_the_entry_that_crosses_the_threshold()
    {
        var harness = LedgerHarness.Opened(autoReloadThreshold: 500);
        Assert.False(harness.Execute(new Deposit("dep", 1_000)).AutoReloadWanted);
        Assert.False(harness.Execute(new Debit("d1", 500)).AutoReloadWanted); // 500: not below
        Assert.True(harness.Execute(new Debit("d2", 1)).AutoReloadWanted);
        Assert.False(harness.Execute(new Debit("d3", 1)).AutoReloadWanted); // already below
        Assert.False(harness.Execute(new Debit("d2", 1)).AutoReloadWanted); // a replay signals nothing
    }
}
