namespace Grid.Chain.Siwe.Grammar;

/// <summary>
/// RFC 3339 date-time, strictly: full-date "T" partial-time [time-secfrac] time-offset, with "T" and
/// "Z" in either case (ABNF strings are case-insensitive). Dates must exist (no 30 February); a leap
/// second (:60) is refused because no .NET time can hold it. More than seven fraction digits are
/// truncated to .NET's 100 ns ticks.
/// </summary>
internal static class Rfc3339
{
    /// <summary>Parses <paramref name="text"/> to the UTC instant it names, or says what is wrong with it.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DateTimeOffset value, out string problem)
    {
        value = default;
        problem = "";
        // YYYY-MM-DDTHH:MM:SS is 19 characters; the shortest offset ("Z") makes 20.
        if (text.Length < 20
            || !Digits(text, 0, 4, out var year) || text[4] != '-'
            || !Digits(text, 5, 2, out var month) || text[7] != '-'
            || !Digits(text, 8, 2, out var day) || text[10] is not ('T' or 't')
            || !Digits(text, 11, 2, out var hour) || text[13] != ':'
            || !Digits(text, 14, 2, out var minute) || text[16] != ':'
            || !Digits(text, 17, 2, out var second))
        {
            problem = "not an RFC 3339 date-time (YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM))";
            return false;
        }

        var index = 19;
        long fractionTicks = 0;
        if (text[index] == '.')
        {
            var start = ++index;
            while (index < text.Length && char.IsAsciiDigit(text[index]))
            {
                if (index - start < 7)
                {
                    fractionTicks = (fractionTicks * 10) + (text[index] - '0');
                }

                index++;
            }

            if (index == start)
            {
                problem = "a '.' must be followed by fraction digits";
                return false;
            }

            for (var scale = Math.Min(index - start, 7); scale < 7; scale++)
            {
                fractionTicks *= 10;
            }
        }

        TimeSpan offset;
        var zone = text[index..];
        if (zone is "Z" or "z")
        {
            offset = TimeSpan.Zero;
        }
        else if (zone.Length == 6 && zone[0] is ('+' or '-')
            && Digits(zone, 1, 2, out var offsetHours) && zone[3] == ':' && Digits(zone, 4, 2, out var offsetMinutes))
        {
            if (offsetHours > 23 || offsetMinutes > 59)
            {
                problem = "the time offset is out of range";
                return false;
            }

            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (zone[0] == '-')
            {
                offset = -offset;
            }
        }
        else
        {
            problem = "the time offset must be Z, +HH:MM or -HH:MM";
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            problem = "no such date";
            return false;
        }

        if (hour > 23 || minute > 59)
        {
            problem = "no such time of day";
            return false;
        }

        if (second > 59)
        {
            problem = second == 60 ? "leap seconds (:60) are not supported" : "no such time of day";
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fractionTicks);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            problem = "the instant is out of range";
            return false;
        }

        value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        if (start + count > text.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
        }

        return true;
    }
}
