using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Closes the account for good; only an empty account (nothing available, nothing held) closes.</summary>
public sealed record CloseAccount(string OperationId) : LedgerCommand(OperationId)
{
    public override string ToRequest() => CanonicalRequest.Build();
}
