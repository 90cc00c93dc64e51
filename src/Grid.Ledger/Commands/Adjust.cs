using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>An operator's correction: positive or negative, never zero, always with a reason.</summary>
public sealed record Adjust(string OperationId, long Amount, string Reason) : LedgerCommand(OperationId)
{
    public override void Validate()
    {
        base.Validate();
        if (Amount == 0 || Math.Abs(Amount) > CreditMath.MaxAmount)
        {
            throw LedgerException.Invalid("amount", $"amount must be a non-zero integer from -{CreditMath.MaxAmount} to {CreditMath.MaxAmount}.");
        }

        if (string.IsNullOrWhiteSpace(Reason))
        {
            throw LedgerException.Invalid("reason", "reason is required for an adjustment.");
        }

        RequireText(Reason, MaxReferenceLength, "reason");
    }

    public override string ToRequest() => CanonicalRequest.Build(("amount", Text(Amount)), ("reason", Reason));
}
