using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Journal;
using Grid.Ledger.Tests.Support;
using Xunit;

namespace Grid.Ledger.Tests;

/// <summary>Opening an account: once, and nothing works before it.</summary>
public sealed class AccountOpeningTests
{
    [Fact]
    public void Opening_writes_entry_one_with_the_system_operation_id()
    {
        var harness = new LedgerHarness();
        var entry = harness.Run(new OpenAccount("Ada", OverdraftLimit: 50));

        Assert.Equal(
            new JournalEntry(1, JournalEntryKind.Open, 0, 0, 0, 0, "~open", null, null, null, null, null, null, entry.Request, LedgerHarness.Start),
            entry);
        var snapshot = harness.Ledger.ToSnapshot();
        Assert.Equal(("Ada", AccountStatus.Active, 50L, 1L), (snapshot.Name, snapshot.Status, snapshot.Settings.OverdraftLimit, snapshot.Sequence));
    }

    [Fact]
    public void Commands_before_opening_are_not_found_and_opening_twice_is_already_exists()
    {
        var harness = new LedgerHarness();
        harness.Refuse(new Deposit("d", 10), LedgerErrorCodes.NotFound, "accountId");
        Assert.False(harness.Ledger.IsOpen);

        harness.Run(new OpenAccount());
        harness.Refuse(new OpenAccount(), LedgerErrorCodes.AlreadyExists, "id");
        harness.Refuse(new OpenAccount("other name"), LedgerErrorCodes.AlreadyExists, "id");

        // The refused deposit left no trace: its id is free.
        Assert.Equal(2, harness.Run(new Deposit("d", 10)).Sequence);
    }

    [Fact]
    public void Opening_validates_its_settings()
    {
        var harness = new LedgerHarness();
        harness.Refuse(new OpenAccount(OverdraftLimit: -1), LedgerErrorCodes.ValidationFailed, "overdraftLimit");
        harness.Refuse(new OpenAccount(AutoReloadThreshold: 0), LedgerErrorCodes.ValidationFailed, "autoReloadThreshold");
        harness.Refuse(new OpenAccount(new string('n', 201)), LedgerErrorCodes.ValidationFailed, "name");
    }

    [Fact]
    public void Times_are_kept_to_the_millisecond()
    {
        var harness = new LedgerHarness();
        harness.Advance(TimeSpan.FromTicks(12_345)); // 1.2345 ms
        var entry = harness.Run(new OpenAccount());
        Assert.Equal(LedgerHarness.Start.AddMilliseconds(1), entry.At);
    }
}
