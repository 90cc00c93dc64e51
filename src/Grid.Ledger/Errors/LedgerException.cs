namespace Grid.Ledger.Errors;

/// <summary>
/// A command the ledger refused. Nothing changed. <see cref="Code"/> is one of <see cref="LedgerErrorCodes"/>;
/// <see cref="Field"/> names the offending argument for validation errors and idempotency conflicts.
/// </summary>
public sealed class LedgerException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Field { get; } = field;

    /// <summary>For insufficient_funds: what was available and what the command needed; for negative_balance, what is available.</summary>
    public long? Available { get; init; }

    public long? Required { get; init; }

    /// <summary>True when the same command may succeed if simply sent again (same operation id).</summary>
    public bool IsRetryable => Code == LedgerErrorCodes.Unavailable;

    public static LedgerException Invalid(string field, string message) => new(LedgerErrorCodes.ValidationFailed, message, field);

    public static LedgerException Unavailable(string message) => new(LedgerErrorCodes.Unavailable, message);
}
