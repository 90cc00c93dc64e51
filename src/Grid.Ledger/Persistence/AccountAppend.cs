using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;

namespace Grid.Ledger.Persistence;

/// <summary>
/// New journal entries of one account and its snapshot after them. The entries' sequences run
/// <see cref="ExpectedSequence"/> + 1 ... <see cref="AccountSnapshot.Sequence"/> without a gap.
/// </summary>
public sealed record AccountAppend(long ExpectedSequence, AccountSnapshot Snapshot, IReadOnlyList<JournalEntry> Entries)
{
    public string AccountId => Snapshot.AccountId;
}
