using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Reserves credits now (they leave available at once); the hold's id is the operation id.</summary>
/// <param name="Forced">
/// A hold a payment rail imposes (a card dispute holds the disputed amount): it may take available below zero
/// and is placed on a frozen or negative account too. Never set from a client's request.
/// </param>
public sealed record PlaceHold(string OperationId, long Amount, TimeSpan? ExpiresIn = null, string? Reference = null, bool Forced = false)
    : LedgerCommand(OperationId)
{
    /// <summary>The request field that marks a forced hold; present only then.</summary>
    public const string ForcedField = "forced";

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

    /// <summary>
    /// "forced" is added only to a forced hold's request (a null value would still add its name), so ordinary
    /// holds keep the fingerprints they were stored with.
    /// </summary>
    public override string ToRequest()
    {
        (string, string?) amount = ("amount", Text(Amount));
        (string, string?) expiresInMs = ("expiresInMs", ExpiresIn is { } e ? Text((long)e.TotalMilliseconds) : null);
        (string, string?) reference = ("reference", Reference);
        return Forced
            ? CanonicalRequest.Build(amount, expiresInMs, reference, (ForcedField, "true"))
            : CanonicalRequest.Build(amount, expiresInMs, reference);
    }

    /// <summary>Whether a hold entry's stored request is a forced hold's.</summary>
    public static bool IsForcedRequest(string request) =>
        string.Equals(CanonicalRequest.ValueOf(request, ForcedField), "true", StringComparison.Ordinal);
}
