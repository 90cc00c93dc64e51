using Grid.Ledger.Journal;

namespace Grid.Contracts.Accounts;

/// <param name="Next">The sequence to pass as <c>after</c> for the next page, or null at the end.</param>
public sealed record JournalPage(IReadOnlyList<JournalEntry> Entries, long? Next);
