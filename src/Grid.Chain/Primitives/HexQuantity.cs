using System.Globalization;
using System.Numerics;

namespace Grid.Chain.Primitives;

/// <summary>
/// The two hex encodings of the Ethereum JSON-RPC API: QUANTITY, an unsigned number as "0x" and its digits
/// without leading zeros ("0x0", "0x1a"), and DATA, bytes as "0x" and two digits per byte ("0x", "0x00ff").
/// </summary>
public static class HexQuantity
{
    private const string Prefix = "0x";

    /// <summary>The QUANTITY spelling of <paramref name="value"/>.</summary>
    public static string Encode(ulong value) => Prefix + value.ToString("x", CultureInfo.InvariantCulture);

    /// <summary>The QUANTITY spelling of a non-negative <paramref name="value"/>.</summary>
    public static string Encode(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A QUANTITY is never negative.");
        }

        // BigInteger writes a leading 0 when the top digit is 8 or more (its sign); a QUANTITY has none.
        var digits = value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        return Prefix + (digits.Length == 0 ? "0" : digits);
    }

    /// <summary>
    /// Parses a QUANTITY that fits in 64 bits. Leading zeros are accepted, since some nodes write them;
    /// a missing "0x", no digits or a non-hex digit is a <see cref="FormatException"/>, as is a value above
    /// <see cref="ulong.MaxValue"/>.
    /// </summary>
    public static ulong ParseUInt64(string text)
    {
        var digits = Digits(text).TrimStart('0');
        if (digits.Length > 16)
        {
            throw new FormatException($"'{text}' does not fit in 64 bits.");
        }

        return digits.Length == 0 ? 0 : ulong.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses a QUANTITY of any size; the rules are those of <see cref="ParseUInt64"/>.</summary>
    public static BigInteger ParseBigInteger(string text)
    {
        var digits = Digits(text);

        // A leading 0 keeps BigInteger from reading a top digit of 8 or more as a sign.
        return BigInteger.Parse(string.Concat("0", digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    /// <summary>Parses DATA: "0x" and an even number of hex digits ("0x" alone is no bytes).</summary>
    public static byte[] ParseData(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"'{Shorten(text)}' is not hex DATA: it must start with \"0x\".");
        }

        var digits = text.AsSpan(Prefix.Length);
        if (digits.Length % 2 != 0)
        {
            throw new FormatException($"'{Shorten(text)}' is not hex DATA: it has an odd number of hex digits.");
        }

        if (!HexDigits.AreAll(digits))
        {
            throw new FormatException($"'{Shorten(text)}' is not hex DATA: it must contain only hex digits after \"0x\".");
        }

        return Convert.FromHexString(digits);
    }

    /// <summary>The DATA spelling of <paramref name="bytes"/>, lower case.</summary>
    public static string EncodeData(ReadOnlySpan<byte> bytes) => Prefix + Convert.ToHexStringLower(bytes);

    private static ReadOnlySpan<char> Digits(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"'{Shorten(text)}' is not a hex QUANTITY: it must start with \"0x\".");
        }

        var digits = text.AsSpan(Prefix.Length);
        if (digits.Length == 0)
        {
            throw new FormatException($"'{text}' is not a hex QUANTITY: it has no digits after \"0x\".");
        }

        if (!HexDigits.AreAll(digits))
        {
            throw new FormatException($"'{Shorten(text)}' is not a hex QUANTITY: it must contain only hex digits after \"0x\".");
        }

        return digits;
    }

    // Node answers can be long; a message quotes only their start.
    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 80), "...");
}
