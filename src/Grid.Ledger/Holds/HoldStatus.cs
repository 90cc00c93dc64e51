namespace Grid.Ledger.Holds;

public enum HoldStatus
{
    Open,
    /// <summary>Closed by a final capture (or partial captures that used it up).</summary>
    Captured,
    Voided,
    Expired,
}
