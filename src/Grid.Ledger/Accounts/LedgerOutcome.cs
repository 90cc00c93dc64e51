using Grid.Ledger.Journal;

namespace Grid.Ledger.Accounts;

/// <param name="Entry">The command's journal entry: new, or the original one when <paramref name="Replayed"/>.</param>
/// <param name="AutoReloadWanted">Available just fell below the account's auto-reload threshold.</param>
public readonly record struct LedgerOutcome(JournalEntry Entry, bool Replayed, bool AutoReloadWanted);
