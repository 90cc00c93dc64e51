namespace Grid.Ledger.Errors;

/// <summary>Stable error codes (API.md); clients branch on these, so never rename one.</summary>
public static class LedgerErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string NotFound = "not_found";
    public const string AlreadyExists = "already_exists";
    public const string IdempotencyConflict = "idempotency_conflict";
    public const string HoldClosed = "hold_closed";
    public const string AccountFrozen = "account_frozen";
    public const string AccountClosed = "account_closed";
    public const string InsufficientFunds = "insufficient_funds";
    public const string TooManyHolds = "too_many_holds";

    /// <summary>A metered session took all the usage reports it may; end it and start another.</summary>
    public const string TooManyReports = "too_many_reports";
    public const string AccountNotEmpty = "account_not_empty";
    public const string InvalidState = "invalid_state";

    /// <summary>A payment rail took the account below zero; nothing is spent until it is back at zero (or at the overdraft it was already using).</summary>
    public const string NegativeBalance = "negative_balance";

    /// <summary>The store did not confirm the write; nothing was acknowledged, retry with the same operation id.</summary>
    public const string Unavailable = "unavailable";
}
