using System.Globalization;
using System.Numerics;

namespace Grid.Chain.TestKit.Rpc;

/// <summary>JSON-RPC's hex encodings: quantities (<c>0x</c> and no leading zeros) and data (<c>0x</c> and two digits a byte).</summary>
public static class Hex
{
    /// <summary><paramref name="value"/> as a JSON-RPC quantity, e.g. <c>0x0</c>, <c>0x1f</c>.</summary>
    public static string Quantity(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        if (value.IsZero)
        {
            return "0x0";
        }

        var digits = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return "0x" + digits;
    }

    /// <summary><paramref name="value"/> as a JSON-RPC quantity.</summary>
    public static string Quantity(long value) => Quantity(new BigInteger(value));

    /// <summary>Reads a quantity or data as an unsigned big-endian number (<c>0x</c> alone is zero).</summary>
    public static BigInteger ToBigInteger(string hex)
    {
        var digits = Digits(hex);
        return digits.Length == 0 ? BigInteger.Zero : BigInteger.Parse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Reads a quantity that fits a long.</summary>
    public static long ToLong(string hex) => (long)ToBigInteger(hex);

    /// <summary><paramref name="bytes"/> as data: <c>0x</c> and lowercase digits.</summary>
    public static string Data(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);

    /// <summary>The bytes of data (<c>0x</c> optional).</summary>
    public static byte[] ToBytes(string hex) => Convert.FromHexString(Digits(hex));

    private static string Digits(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;
    }
}
