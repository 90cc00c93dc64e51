using System.Globalization;
using System.Numerics;

namespace Grid.Grains.Chain;

/// <summary>
/// Credits per smallest unit of a token (wei, or 10^-6 USDC) as an exact fraction, so no rounding happens until
/// the one rounding the payer is owed: credits round down (never a fraction credited), and the amount asked for a
/// number of credits rounds up (never short).
/// </summary>
public sealed record CreditRate
{
    /// <summary>The largest credit amount the API carries exactly (API.md).</summary>
    public const long MaxCredits = 9_007_199_254_740_991;

    public CreditRate(BigInteger numerator, BigInteger denominator)
    {
        if (numerator.Sign <= 0 || denominator.Sign <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(numerator), "A credit rate is a positive fraction.");
        }

        Numerator = numerator;
        Denominator = denominator;
    }

    public BigInteger Numerator { get; }

    public BigInteger Denominator { get; }

    /// <summary><paramref name="perWholeUnit"/> credits for 10^<paramref name="decimals"/> smallest units.</summary>
    public static CreditRate PerWholeUnit(decimal perWholeUnit, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perWholeUnit);
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        var (mantissa, scale) = Split(perWholeUnit);
        return new CreditRate(mantissa, BigInteger.Pow(10, scale + decimals));
    }

    /// <summary>From a price feed: <paramref name="answer"/>/10^<paramref name="feedDecimals"/> USD per ETH, times credits per USD, per wei.</summary>
    public static CreditRate FromUsdPrice(BigInteger answer, int feedDecimals, decimal creditsPerUsd)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(creditsPerUsd);
        var (mantissa, scale) = Split(creditsPerUsd);
        return new CreditRate(answer * mantissa, BigInteger.Pow(10, feedDecimals + scale + 18));
    }

    /// <summary>Credits for <paramref name="units"/>, rounded down; null when more than the API can carry.</summary>
    public long? CreditsFor(BigInteger units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, BigInteger.Zero);
        var credits = units * Numerator / Denominator;
        return credits <= MaxCredits ? (long)credits : null;
    }

    /// <summary>The fewest units worth at least <paramref name="credits"/> credits.</summary>
    public BigInteger UnitsFor(long credits)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(credits);
        return BigInteger.DivRem(credits * Denominator, Numerator, out var remainder) + (remainder.IsZero ? 0 : 1);
    }

    public string NumeratorText => Numerator.ToString(CultureInfo.InvariantCulture);

    public string DenominatorText => Denominator.ToString(CultureInfo.InvariantCulture);

    public static CreditRate Parse(string numerator, string denominator) =>
        new(BigInteger.Parse(numerator, NumberStyles.None, CultureInfo.InvariantCulture), BigInteger.Parse(denominator, NumberStyles.None, CultureInfo.InvariantCulture));

    private static (BigInteger Mantissa, int Scale) Split(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return (mantissa, scale);
    }
}
