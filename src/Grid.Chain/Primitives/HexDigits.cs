namespace Grid.Chain.Primitives;

/// <summary>Checks on runs of hex digits, shared by the hex parsers.</summary>
internal static class HexDigits
{
    public static bool AreAll(ReadOnlySpan<char> digits)
    {
        foreach (var c in digits)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
