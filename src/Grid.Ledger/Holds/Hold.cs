namespace Grid.Ledger.Holds;

/// <summary>Credits reserved against available until captured, voided or expired (two-phase).</summary>
public sealed record Hold(
    string Id,
    long Amount,
    long Captured,
    HoldStatus Status,
    DateTimeOffset? ExpiresAt,
    string? Reference,
    DateTimeOffset CreatedAt)
{
    /// <summary>What is still reserved: counted in the account's held balance while open.</summary>
    public long Remaining => Status == HoldStatus.Open ? Amount - Captured : 0;
}
