using Grid.Ledger.Credits;

namespace Grid.Contracts.Casts;

/// <summary>The price rules of a cast, exact in decimal: the payer is never charged a fraction, and never less than the provider's cost.</summary>
public static class CastPricing
{
    /// <summary>Quote plus <paramref name="bufferPercent"/> of it, rounded up.</summary>
    public static long HoldFor(long quote, int bufferPercent)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quote);
        ArgumentOutOfRangeException.ThrowIfNegative(bufferPercent);
        return checked(quote + (long)decimal.Ceiling(quote * (decimal)bufferPercent / 100m));
    }

    /// <summary>The user price of <paramref name="providerCost"/>: cost times markup, rounded up, and never below the cost rounded up.</summary>
    public static long PriceFor(decimal providerCost, decimal markup)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(providerCost);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(markup);
        return checked((long)Math.Max(DecimalProduct.Ceiling(providerCost, markup), decimal.Ceiling(providerCost)));
    }
}
