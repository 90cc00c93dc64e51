using Grid.Ledger.Holds;

namespace Grid.Ledger.Accounts;

/// <summary>
/// An account's whole state as of <see cref="Sequence"/>: what is stored next to the journal (a cache of
/// its projection) and what reads return. Immutable, so a durable snapshot can be shared with readers.
/// </summary>
/// <param name="InDebt">
/// A reversal or a forced hold left available below zero: debits and ordinary holds are refused until an entry
/// brings it back to zero or above. Last, with a default, so snapshots stored before it existed still load.
/// </param>
public sealed record AccountSnapshot(
    string AccountId,
    string? Name,
    AccountStatus Status,
    bool Guest,
    AccountSettings Settings,
    long Available,
    long Held,
    long Sequence,
    LedgerTotals Totals,
    IReadOnlyList<Hold> OpenHolds,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool InDebt = false)
{
    public Balance Balance => new(Available, Held, Sequence);
}
