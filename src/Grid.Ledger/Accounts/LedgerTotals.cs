namespace Grid.Ledger.Accounts;

/// <summary>
/// Lifetime sums per kind of movement. The conservation invariant ties them to the balance:
/// deposited - reversed - debited - captured - refunded + adjusted = available + held.
/// </summary>
public sealed record LedgerTotals(long Deposited, long Reversed, long Debited, long Captured, long Refunded, long Adjusted)
{
    public static LedgerTotals Zero { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>What the account should hold in total according to the totals.</summary>
    public long Net => checked(Deposited - Reversed - Debited - Captured - Refunded + Adjusted);
}
