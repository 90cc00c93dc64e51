namespace Grid.Ledger.Accounts;

public enum AccountStatus
{
    /// <summary>Everything allowed.</summary>
    Active,
    /// <summary>No new debits, holds or refunds; deposits, captures and voids of existing holds still settle.</summary>
    Frozen,
    /// <summary>Final: only reads.</summary>
    Closed,
}
