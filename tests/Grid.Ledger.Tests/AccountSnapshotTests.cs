using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Persistence;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>The stored snapshot and the account restored from it: the debt and its floor survive, older snapshots still load.</summary>
public sealed class AccountSnapshotTests
{
    /// <summary>A snapshot as stored before accounts could be in debt: no inDebt member.</summary>
    private const string SnapshotWithoutInDebt =
        """
        {"accountId":"acc","name":"Test","status":"Active","guest":false,"settings":{"overdraftLimit":0,"maxOpenHolds":1000,"autoReloadThreshold":null},
        "available":700,"held":300,"sequence":3,"totals":{"deposited":1000,"reversed":0,"debited":0,"captured":0,"refunded":0,"adjusted":0,"net":1000},
        "openHolds":[{"id":"h1","amount":300,"captured":0,"status":"Open","expiresAt":"2030-01-01T12:05:00+00:00","reference":"cast-1","createdAt":"2030-01-01T12:00:00+00:00","remaining":300}],
        "createdAt":"2030-01-01T12:00:00+00:00","updatedAt":"2030-01-01T12:00:00+00:00","balance":{"available":700,"held":300,"sequence":3}}
        """;

    [Fact]
    public void An_account_in_debt_comes_back_in_debt_from_its_stored_snapshot()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 500);
        var journal = new List<JournalEntry> { harness.Run(new Reverse("chargeback", 130)) };
        harness.Ledger.MarkDurable(harness.Ledger.Sequence);

        var stored = LedgerJson.Serialize(harness.Ledger.ToSnapshot());
        Assert.Contains("\"inDebt\":true", stored, StringComparison.Ordinal);
        var snapshot = LedgerJson.Deserialize(stored);
        LedgerHarness.AssertSameState(harness.Ledger.ToSnapshot(), snapshot);

        var restored = AccountLedger.Restore(snapshot, journal, 1_000);
        Assert.True(restored.InDebt);
        Assert.True(restored.ToSnapshot().InDebt);
        var refusal = Assert.Throws<LedgerException>(() => restored.Execute(new Debit("d", 1), LedgerHarness.Start));
        Assert.Equal(LedgerErrorCodes.NegativeBalance, refusal.Code);
        restored.Execute(new Deposit("top-up", 30), LedgerHarness.Start);
        Assert.False(restored.InDebt);
    }

    [Fact]
    public void A_snapshot_stored_before_the_debt_flag_loads_as_not_in_debt()
    {
        var snapshot = LedgerJson.Deserialize(SnapshotWithoutInDebt);

        Assert.False(snapshot.InDebt);
        Assert.Equal((700L, 300L, 3L, "h1"), (snapshot.Available, snapshot.Held, snapshot.Sequence, Assert.Single(snapshot.OpenHolds).Id));
        var restored = AccountLedger.Restore(snapshot, [], 1_000);
        Assert.False(restored.InDebt);
        Assert.Equal(600, restored.Execute(new Debit("d", 100), LedgerHarness.Start).Entry.AvailableAfter);
    }

    [Fact]
    public void An_overdrawn_account_in_debt_comes_back_owing_up_to_where_it_stood_and_an_older_snapshot_owes_up_to_zero()
    {
        var harness = LedgerHarness.Opened(deposit: 100, overdraftLimit: 500);
        var journal = new List<JournalEntry> { harness.Run(new Debit("d1", 300)), harness.Run(new Reverse("chargeback", 100)) };
        harness.Ledger.MarkDurable(harness.Ledger.Sequence);

        var stored = LedgerJson.Serialize(harness.Ledger.ToSnapshot());
        Assert.Contains("\"debtFloor\":-200", stored, StringComparison.Ordinal);
        var restored = AccountLedger.Restore(LedgerJson.Deserialize(stored), journal, 1_000);
        Assert.Equal((true, -200L), (restored.InDebt, restored.DebtFloor));
        Assert.Equal(-250, restored.Execute(new Deposit("top-up", 50), LedgerHarness.Start).Entry.AvailableAfter);
        Assert.True(restored.InDebt);
        restored.Execute(new Deposit("top-up-2", 50), LedgerHarness.Start);
        Assert.Equal((false, 0L), (restored.InDebt, restored.DebtFloor));

        // Stored before debts had a floor: in debt until zero, as it was then.
        var older = AccountLedger.Restore(LedgerJson.Deserialize(stored.Replace(",\"debtFloor\":-200", "", StringComparison.Ordinal)), journal, 1_000);
        Assert.Equal((true, 0L), (older.InDebt, older.DebtFloor));
        older.Execute(new Deposit("top-up", 100), LedgerHarness.Start);
        Assert.True(older.InDebt);
    }

    [Fact]
    public void A_snapshot_in_debt_at_zero_or_above_is_refused_as_broken()
    {
        var harness = LedgerHarness.Opened(deposit: 100);
        harness.Ledger.MarkDurable(harness.Ledger.Sequence);
        var broken = harness.Ledger.ToSnapshot() with { InDebt = true };

        Assert.Throws<LedgerInvariantException>(() => AccountLedger.Restore(broken, [], 1_000));
        Assert.Throws<LedgerInvariantException>(() => AccountLedger.Restore(broken with { DebtFloor = 100 }, [], 1_000));
        Assert.Throws<LedgerInvariantException>(() => AccountLedger.Restore(broken with { InDebt = false, DebtFloor = -5 }, [], 1_000));
    }
}
