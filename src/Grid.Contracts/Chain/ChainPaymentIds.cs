using Grid.Contracts.Payments;

namespace Grid.Contracts.Chain;

/// <summary>The payment a deposit without a usable intent belongs to: derived from the deposit's key, so every sighting of it meets the same grain.</summary>
public static class ChainPaymentIds
{
    // '~' is outside the account id alphabet: no account's top-up derives an id in this space.
    private const string Space = "~chain-deposit";

    public static string ForDeposit(ChainDeposit deposit)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return PaymentIds.For(Space, deposit.Key);
    }
}
