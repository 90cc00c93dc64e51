namespace Grid.Bench.Ledger;

/// <summary>What a client asks for: a hold then its capture (two operations), a debit or a deposit.</summary>
public enum RequestKind
{
    HoldCapture,
    Debit,
    Deposit,
}
