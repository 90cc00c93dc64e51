using System.Numerics;

namespace Grid.Ledger.Credits;

/// <summary>
/// Money to credits and back. The rounding rule: a payer is credited down and charged up, so the grid
/// never gives away a fraction of a credit. Decimal and BigInteger arithmetic only; no floating point.
/// </summary>
/// <param name="CreditsPerUsd">Default 1,000 (1 credit = $0.001, 1 cent = 10 credits, 1 USDC = 1,000 credits).</param>
public sealed record CreditConversion(long CreditsPerUsd)
{
    public static CreditConversion Default { get; } = new(1_000);

    /// <summary>Credits bought by a card payment of <paramref name="cents"/> US cents (rounded down).</summary>
    public long CreditsForUsdCents(long cents)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cents);
        return checked((long)decimal.Floor((decimal)cents * CreditsPerUsd / 100m));
    }

    /// <summary>Cents to charge for <paramref name="credits"/> (rounded up: the payer never gets a fraction free).</summary>
    public long UsdCentsForCredits(long credits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(credits);
        return checked((long)decimal.Ceiling((decimal)credits * 100m / CreditsPerUsd));
    }

    /// <summary>
    /// Credits for <paramref name="baseUnits"/> of a USD-pegged token with <paramref name="decimals"/> decimals
    /// (USDC: 6), rounded down. Token amounts are uint256 on chain, hence BigInteger.
    /// </summary>
    public long CreditsForTokenUnits(BigInteger baseUnits, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseUnits.Sign);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var credits = BigInteger.Divide(baseUnits * CreditsPerUsd, BigInteger.Pow(10, decimals));
        return credits > long.MaxValue ? throw new OverflowException("Token amount exceeds what an account can hold.") : (long)credits;
    }

    /// <summary>Token base units to ask for <paramref name="credits"/> (rounded up).</summary>
    public BigInteger TokenUnitsForCredits(long credits, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(credits);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var numerator = credits * BigInteger.Pow(10, decimals);
        return BigInteger.DivRem(numerator, CreditsPerUsd, out var remainder) + (remainder.IsZero ? 0 : 1);
    }
}
