using Grid.Ledger.Holds;

namespace Grid.Ledger.Accounts;

/// <summary>
/// An account's whole state as of <see cref="Sequence"/>: what is stored next to the journal (a cache of
/// its projection) and what reads return. Immutable, so a durable snapshot can be shared with readers.
/// </summary>
/// <param name="InDebt">
/// A reversal or a forced hold left available below zero: debits and ordinary holds are refused until entries bring
/// it back to <paramref name="DebtFloor"/>. Near the end, with a default, so snapshots stored before it existed still load.
/// </param>
/// <param name="DebtFloor">
/// While in debt, where available must be back to for the debt to clear (<see cref="AccountLedger.DebtFloor"/>); 0 otherwise,
/// and for snapshots stored before it existed, which cleared at zero.
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
    bool InDebt = false,
    long DebtFloor = 0)
{
    public Balance Balance => new(Available, Held, Sequence);
}
