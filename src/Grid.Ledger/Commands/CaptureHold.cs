using Grid.Ledger.Credits;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>
/// Captures up to what is left of a hold. <see cref="Final"/> closes the hold and releases the rest in the
/// same entry; a non-final capture may repeat until the hold is used up.
/// </summary>
public sealed record CaptureHold(string OperationId, string HoldId, long Amount, bool Final = true) : LedgerCommand(OperationId)
{
    public override void Validate()
    {
        base.Validate();
        OperationIds.Require(HoldId, "holdId");
        CreditMath.RequireNonNegative(Amount, "amount");
    }

    public override string ToRequest() =>
        CanonicalRequest.Build(("holdId", HoldId), ("amount", Text(Amount)), ("final", Final ? "true" : "false"));
}
