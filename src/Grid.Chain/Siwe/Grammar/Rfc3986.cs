namespace Grid.Chain.Siwe.Grammar;

/// <summary>
/// The parts of RFC 3986's URI grammar that EIP-4361 uses: a whole URI (the URI field and resources),
/// an authority (the domain), a scheme, and pchar runs (the request id). Syntax only: nothing is resolved
/// or normalised.
/// </summary>
internal static class Rfc3986
{
    /// <summary>scheme ":" hier-part [ "?" query ] [ "#" fragment ].</summary>
    public static bool IsUri(ReadOnlySpan<char> text)
    {
        var colon = text.IndexOf(':');
        if (colon < 0 || !IsScheme(text[..colon]))
        {
            return false;
        }

        var rest = text[(colon + 1)..];
        var hash = rest.IndexOf('#');
        if (hash >= 0)
        {
            if (!IsQueryOrFragment(rest[(hash + 1)..]))
            {
                return false;
            }

            rest = rest[..hash];
        }

        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            if (!IsQueryOrFragment(rest[(question + 1)..]))
            {
                return false;
            }

            rest = rest[..question];
        }

        if (rest.StartsWith("//"))
        {
            // "//" authority path-abempty: the authority runs to the first "/".
            var hier = rest[2..];
            var slash = hier.IndexOf('/');
            var authority = slash < 0 ? hier : hier[..slash];
            var path = slash < 0 ? [] : hier[slash..];
            return IsAuthority(authority) && IsPath(path);
        }

        // path-absolute, path-rootless or path-empty: pchar and "/" not starting with "//", handled above.
        return IsPath(rest);
    }

    /// <summary>ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).</summary>
    public static bool IsScheme(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || !char.IsAsciiLetter(text[0]))
        {
            return false;
        }

        foreach (var c in text[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>[ userinfo "@" ] host [ ":" port ].</summary>
    public static bool IsAuthority(ReadOnlySpan<char> text)
    {
        var at = text.IndexOf('@');
        if (at >= 0)
        {
            if (!IsRun(text[..at], allowColon: true, allowAt: false))
            {
                return false;
            }

            text = text[(at + 1)..];
        }

        ReadOnlySpan<char> portPart;
        if (text.StartsWith("["))
        {
            var close = text.IndexOf(']');
            if (close < 0 || !IsIpLiteralBody(text[1..close]))
            {
                return false;
            }

            portPart = text[(close + 1)..];
        }
        else
        {
            // reg-name (IPv4 addresses are reg-names syntactically) has no ":", so the port starts at the first one.
            var colon = text.IndexOf(':');
            var host = colon < 0 ? text : text[..colon];
            if (!IsRun(host, allowColon: false, allowAt: false))
            {
                return false;
            }

            portPart = colon < 0 ? [] : text[colon..];
        }

        if (portPart.IsEmpty)
        {
            return true;
        }

        if (portPart[0] != ':')
        {
            return false;
        }

        foreach (var c in portPart[1..])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The host of an authority, without user info or port (for the "has a host" check).</summary>
    public static ReadOnlySpan<char> HostOf(ReadOnlySpan<char> authority)
    {
        var at = authority.IndexOf('@');
        if (at >= 0)
        {
            authority = authority[(at + 1)..];
        }

        if (authority.StartsWith("["))
        {
            var close = authority.IndexOf(']');
            return close < 0 ? authority : authority[..(close + 1)];
        }

        var colon = authority.IndexOf(':');
        return colon < 0 ? authority : authority[..colon];
    }

    /// <summary>*pchar.</summary>
    public static bool IsPcharRun(ReadOnlySpan<char> text) => IsRun(text, allowColon: true, allowAt: true);

    private static bool IsPath(ReadOnlySpan<char> text)
    {
        foreach (var segment in text.Split('/'))
        {
            if (!IsPcharRun(text[segment]))
            {
                return false;
            }
        }

        return true;
    }

    // query and fragment: *( pchar / "/" / "?" ).
    private static bool IsQueryOrFragment(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '/' or '?' or ':' or '@' || IsUnreservedOrSubDelim(c))
            {
                continue;
            }

            if (!IsPercentEncodedAt(text, i))
            {
                return false;
            }

            i += 2;
        }

        return true;
    }

    // Runs of unreserved / pct-encoded / sub-delims, optionally with ":" and "@": reg-name, userinfo, pchar*.
    private static bool IsRun(ReadOnlySpan<char> text, bool allowColon, bool allowAt)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (IsUnreservedOrSubDelim(c) || (allowColon && c == ':') || (allowAt && c == '@'))
            {
                continue;
            }

            if (!IsPercentEncodedAt(text, i))
            {
                return false;
            }

            i += 2;
        }

        return true;
    }

    // IP-literal without its brackets: IPv6address / IPvFuture.
    private static bool IsIpLiteralBody(ReadOnlySpan<char> text)
    {
        if (text.StartsWith("v") || text.StartsWith("V"))
        {
            // "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
            var dot = text.IndexOf('.');
            if (dot < 2 || dot == text.Length - 1)
            {
                return false;
            }

            foreach (var c in text[1..dot])
            {
                if (!char.IsAsciiHexDigit(c))
                {
                    return false;
                }
            }

            foreach (var c in text[(dot + 1)..])
            {
                if (!IsUnreservedOrSubDelim(c) && c != ':')
                {
                    return false;
                }
            }

            return true;
        }

        // RFC 3986 IPv6address has no zone id, so only hex digits, ":" and the "." of an embedded IPv4.
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c is not (':' or '.'))
            {
                return false;
            }
        }

        return System.Net.IPAddress.TryParse(text, out var address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
    }

    private static bool IsPercentEncodedAt(ReadOnlySpan<char> text, int index) =>
        text[index] == '%'
        && index + 2 < text.Length
        && char.IsAsciiHexDigit(text[index + 1])
        && char.IsAsciiHexDigit(text[index + 2]);

    // unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"; sub-delims = "!" / "$" / "&" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "=".
    private static bool IsUnreservedOrSubDelim(char c) =>
        char.IsAsciiLetterOrDigit(c)
        || c is '-' or '.' or '_' or '~'
        || c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or ';' or '=';
}
