using Grid.Ledger.Accounts;
using Grid.Ledger.Journal;

namespace Grid.Ledger.Persistence;

/// <summary>
/// New journal entries of one account and its snapshot after them. The entries' sequences run
/// <see cref="ExpectedSequence"/> + 1 ... <see cref="AccountSnapshot.Sequence"/> without a gap.
/// <see cref="Events"/> are rail events whose handling produced these entries, <see cref="Usage"/> and <see cref="Casts"/>
/// the usage and cast records these entries settle: all written in the same transaction as the entries.
/// </summary>
public sealed record AccountAppend(long ExpectedSequence, AccountSnapshot Snapshot, IReadOnlyList<JournalEntry> Entries)
{
    public string AccountId => Snapshot.AccountId;

    public IReadOnlyList<ProcessedEvent> Events { get; init; } = [];

    /// <summary>Written as <see cref="IUsageStore.RecordAsync"/> writes them (the same record again changes nothing).</summary>
    public IReadOnlyList<UsageRecord> Usage { get; init; } = [];

    /// <summary>Written as <see cref="ICastStore.SaveAsync"/> writes them (rows only move forward).</summary>
    public IReadOnlyList<CastRecord> Casts { get; init; } = [];
}
