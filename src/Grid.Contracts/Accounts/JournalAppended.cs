using Grid.Ledger.Journal;

namespace Grid.Contracts.Accounts;

/// <summary>Published by an account once entries are durable (balance streams follow these, then the journal).</summary>
public sealed record JournalAppended(string AccountId, IReadOnlyList<JournalEntry> Entries);
