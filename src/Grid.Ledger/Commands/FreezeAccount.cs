using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Stops new debits, holds and refunds; money already on its way in or reserved still settles.</summary>
public sealed record FreezeAccount(string OperationId, string? Reason = null) : LedgerCommand(OperationId)
{
    public override void Validate()
    {
        base.Validate();
        RequireText(Reason, MaxReferenceLength, "reason");
    }

    public override string ToRequest() => CanonicalRequest.Build(("reason", Reason));
}
