namespace Grid.Ledger.Commands;

/// <summary>
/// Text every store keeps as it is: no NUL (PostgreSQL's text refuses it; SQLite would keep it) and no unpaired UTF-16
/// surrogate (no UTF-8 encoding exists for one). The same text must get the same answer on both stores.
/// </summary>
public static class StorableText
{
    public static bool IsStorable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0' || char.IsLowSurrogate(c))
            {
                return false;
            }

            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
