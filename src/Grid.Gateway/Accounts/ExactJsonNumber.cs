using System.Globalization;
using System.Text.Json;

namespace Grid.Gateway.Accounts;

/// <summary>
/// Reads a JSON number as a decimal only when the decimal is the number itself. <see cref="JsonElement.TryGetDecimal"/>
/// rounds past 28 digits: <c>1e-40</c> reads as 0 and <c>5.00000000000000000000000000001</c> as 5, so a price the
/// client did not send would be charged. A number no decimal holds exactly is refused instead.
/// </summary>
internal static class ExactJsonNumber
{
    public static bool TryGetDecimal(JsonElement element, out decimal value)
    {
        if (element.ValueKind == JsonValueKind.Number
            && element.TryGetDecimal(out value)
            && Canonical(element.GetRawText()) == Canonical(value.ToString(CultureInfo.InvariantCulture)))
        {
            return true;
        }

        value = 0;
        return false;
    }

    /// <summary>
    /// A number's text as sign, significant digits and exponent (<c>-12e3</c>), so two spellings of one value compare
    /// equal; null for an exponent no decimal could reach, which never equals a decimal's text (long.MinValue among them,
    /// whose magnitude no long holds: the parser reads so long an exponent as 0, so it gets here).
    /// </summary>
    private static string? Canonical(string number)
    {
        var text = number.AsSpan();
        var negative = text.StartsWith("-");
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0L;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!long.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || exponent is < -1_000 or > 1_000)
            {
                return null;
            }

            text = text[..e];
        }

        var point = text.IndexOf('.');
        var digits = point < 0 ? text.ToString() : string.Concat(text[..point], text[(point + 1)..]);
        if (point >= 0)
        {
            exponent -= text.Length - point - 1;
        }

        digits = digits.TrimStart('0');
        var significant = digits.TrimEnd('0');
        exponent += digits.Length - significant.Length;
        return significant.Length == 0
            ? "0"
            : string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : string.Empty)}{significant}e{exponent}");
    }
}
