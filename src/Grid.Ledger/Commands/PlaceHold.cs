using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Reserves credits now (they leave available at once); the hold's id is the operation id.</summary>
public sealed record PlaceHold(string OperationId, long Amount, TimeSpan? ExpiresIn = null, string? Reference = null) : LedgerCommand(OperationId)
{
    public static readonly TimeSpan MaxExpiresIn = TimeSpan.FromDays(30);

    public override void Validate()
    {
        base.Validate();
        CreditMath.RequirePositive(Amount, "amount");
        if (ExpiresIn is { } expiresIn && (expiresIn < TimeSpan.FromSeconds(1) || expiresIn > MaxExpiresIn))
        {
            throw LedgerException.Invalid("expiresInSeconds", $"expiresInSeconds must be from 1 to {(long)MaxExpiresIn.TotalSeconds}.");
        }

        RequireText(Reference, MaxReferenceLength, "reference");
    }

    public override string ToRequest() =>
        CanonicalRequest.Build(("amount", Text(Amount)), ("expiresInMs", ExpiresIn is { } e ? Text((long)e.TotalMilliseconds) : null), ("reference", Reference));
}
