using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Closes a hold without capturing; everything left returns to available.</summary>
public sealed record VoidHold(string OperationId, string HoldId) : LedgerCommand(OperationId)
{
    public override void Validate()
    {
        base.Validate();
        OperationIds.Require(HoldId, "holdId");
    }

    public override string ToRequest() => CanonicalRequest.Build(("holdId", HoldId));
}
