using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;

namespace Grid.Ledger.Persistence;

/// <summary>
/// New journal entries of one account and its snapshot after them. The entries' sequences run
/// <see cref="ExpectedSequence"/> + 1 ... <see cref="AccountSnapshot.Sequence"/> without a gap.
/// <see cref="Events"/> are rail events whose handling produced these entries: recorded in the same transaction.
/// </summary>
public sealed record AccountAppend(long ExpectedSequence, AccountSnapshot Snapshot, IReadOnlyList<JournalEntry> Entries)
{
    public string AccountId => Snapshot.AccountId;

    public IReadOnlyList<ProcessedEvent> Events { get; init; } = [];
}
