using Grid.Ledger.Journal;

namespace Grid.Ledger.Idempotency;

/// <summary>What the window keeps of a durable operation: where it is in the journal and what kind of entry it made.</summary>
public readonly record struct RememberedOperation(long Sequence, JournalEntryKind Kind);
