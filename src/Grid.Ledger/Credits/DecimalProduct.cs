using System.Numerics;

namespace Grid.Ledger.Credits;

/// <summary>
/// Products of decimals rounded up to whole credits, exactly. Decimal multiplication keeps at most 29 significant
/// digits and rounds the rest to nearest, so a product a hair above a whole number (a price of
/// 6.2500000000000000000000000001 for 16 units) would come out whole and <see cref="decimal.Ceiling(decimal)"/> would
/// undercharge by a credit. Here the product is taken on the digits themselves.
/// </summary>
public static class DecimalProduct
{
    /// <summary>The least whole number at or above <paramref name="left"/> x <paramref name="right"/>, both at least 0.</summary>
    /// <exception cref="OverflowException">The result is past what a decimal holds.</exception>
    public static decimal Ceiling(decimal left, decimal right)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(left);
        ArgumentOutOfRangeException.ThrowIfNegative(right);
        var (leftDigits, leftScale) = Digits(left);
        var (rightDigits, rightScale) = Digits(right);
        var whole = BigInteger.DivRem(leftDigits * rightDigits, BigInteger.Pow(10, leftScale + rightScale), out var remainder);
        return (decimal)(remainder.IsZero ? whole : whole + 1);
    }

    /// <summary>The value as its 96-bit integer of digits and its scale (value = digits / 10^scale).</summary>
    private static (BigInteger Digits, int Scale) Digits(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var digits = new BigInteger((uint)bits[0]) | (new BigInteger((uint)bits[1]) << 32) | (new BigInteger((uint)bits[2]) << 64);
        return (digits, (bits[3] >> 16) & 0xFF);
    }
}
