using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

public sealed record UnfreezeAccount(string OperationId) : LedgerCommand(OperationId)
{
    public override string ToRequest() => CanonicalRequest.Build();
}
