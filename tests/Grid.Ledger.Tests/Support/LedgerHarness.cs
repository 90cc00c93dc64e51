using Grid.Ledger.Accounts;
using Grid.Ledger.Commands;
using Grid.Ledger.Errors;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;
using Xunit;

namespace Grid.Ledger.Tests.Support;

/// <summary>One in-memory account with a hand-driven clock, and assertions that refusals leave no trace.</summary>
public sealed class LedgerHarness
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Hold[] NoHolds = [];

    public LedgerHarness(string accountId = "acc", int windowCapacity = 1_000) =>
        Ledger = AccountLedger.CreateNew(accountId, windowCapacity);

    public AccountLedger Ledger { get; }

    public DateTimeOffset Now { get; private set; } = Start;

    /// <summary>An opened account, optionally with credits deposited (operation id "seed").</summary>
    public static LedgerHarness Opened(long deposit = 0, long overdraftLimit = 0, long? autoReloadThreshold = null)
    {
        var harness = new LedgerHarness();
        harness.Run(new OpenAccount("Test", OverdraftLimit: overdraftLimit, AutoReloadThreshold: autoReloadThreshold));
        if (deposit > 0)
        {
            harness.Run(new Deposit("seed", deposit));
        }

        return harness;
    }

    public void Advance(TimeSpan by) => Now += by;

    public JournalEntry Run(LedgerCommand command) => Execute(command).Entry;

    public LedgerOutcome Execute(LedgerCommand command)
    {
        var sequence = Ledger.Sequence;
        var outcome = Ledger.Execute(command, Now);
        if (!outcome.Replayed)
        {
            Assert.Equal(sequence + 1, outcome.Entry.Sequence);
            Assert.Equal(outcome.Entry.Sequence, Ledger.Sequence);
        }

        return outcome;
    }

    /// <summary>Runs a command that must be refused and checks that the account did not change at all.</summary>
    public LedgerException Refuse(LedgerCommand command, string code, string? field = null)
    {
        var before = Ledger.ToSnapshot();
        var refusal = Assert.Throws<LedgerException>(() => Ledger.Execute(command, Now));
        Assert.Equal(code, refusal.Code);
        if (field is not null)
        {
            Assert.Equal(field, refusal.Field);
        }

        AssertSameState(before, Ledger.ToSnapshot());
        return refusal;
    }

    public static void AssertSameState(AccountSnapshot expected, AccountSnapshot actual)
    {
        Assert.Equal(expected with { OpenHolds = NoHolds }, actual with { OpenHolds = NoHolds });
        Assert.Equal(expected.OpenHolds, actual.OpenHolds);
    }
}
