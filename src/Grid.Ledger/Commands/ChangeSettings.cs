using Grid.Ledger.Credits;
using Grid.Ledger.Errors;
using Grid.Ledger.Idempotency;

namespace Grid.Ledger.Commands;

/// <summary>Replaces the account's limits and auto-reload threshold.</summary>
public sealed record ChangeSettings(string OperationId, long OverdraftLimit, int MaxOpenHolds, long? AutoReloadThreshold) : LedgerCommand(OperationId)
{
    public const int MaxOpenHoldsLimit = 10_000;

    public override void Validate()
    {
        base.Validate();
        ValidateSettings(OverdraftLimit, MaxOpenHolds, AutoReloadThreshold);
    }

    public override string ToRequest() =>
        CanonicalRequest.Build(("overdraftLimit", Text(OverdraftLimit)), ("maxOpenHolds", Text(MaxOpenHolds)), ("autoReloadThreshold", AutoReloadThreshold is { } t ? Text(t) : null));

    internal static void ValidateSettings(long overdraftLimit, int maxOpenHolds, long? autoReloadThreshold)
    {
        CreditMath.RequireNonNegative(overdraftLimit, "overdraftLimit");
        if (maxOpenHolds is < 1 or > MaxOpenHoldsLimit)
        {
            throw LedgerException.Invalid("maxOpenHolds", $"maxOpenHolds must be from 1 to {MaxOpenHoldsLimit}.");
        }

        if (autoReloadThreshold is { } threshold)
        {
            CreditMath.RequirePositive(threshold, "autoReloadThreshold");
        }
    }
}
