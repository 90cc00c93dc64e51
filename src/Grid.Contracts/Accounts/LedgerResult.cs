using Grid.Ledger.Accounts;
using Grid.Ledger.Holds;
using Grid.Ledger.Journal;

namespace Grid.Contracts.Accounts;

/// <summary>
/// What a command did: its journal entry, the balance right after it, the hold it touched. A replayed
/// operation id returns the original entry with <see cref="Replayed"/> set.
/// </summary>
public sealed record LedgerResult(JournalEntry Entry, bool Replayed)
{
    public Balance Balance => Entry.Balance;

    public HoldView? Hold => HoldView.After(Entry);
}
