namespace Grid.Ledger.Accounts;

/// <param name="OverdraftLimit">How far below zero debits and holds may take available (0: not at all).</param>
/// <param name="MaxOpenHolds">Bound on open holds, so an account's state stays small.</param>
/// <param name="AutoReloadThreshold">When available falls below this, the account signals that it wants a reload.</param>
public sealed record AccountSettings(long OverdraftLimit, int MaxOpenHolds, long? AutoReloadThreshold)
{
    public const int DefaultMaxOpenHolds = 1_000;

    public static AccountSettings Default { get; } = new(0, DefaultMaxOpenHolds, null);
}
