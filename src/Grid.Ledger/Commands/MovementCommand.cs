using Grid.Ledger.Credits;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>A command that moves a positive amount with an optional reference and metadata.</summary>
public abstract record MovementCommand(string OperationId, long Amount, string? Reference, string? Metadata) : LedgerCommand(OperationId)
{
    public override void Validate()
    {
        base.Validate();
        CreditMath.RequirePositive(Amount, "amount");
        RequireText(Reference, MaxReferenceLength, "reference");
        RequireText(Metadata, MaxMetadataLength, "metadata");
    }

    public override string ToRequest() =>
        CanonicalRequest.Build(("amount", Text(Amount)), ("reference", Reference), ("metadata", Metadata));
}
