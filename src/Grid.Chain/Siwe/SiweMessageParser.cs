using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Grid.Chain.Addresses;
using Grid.Chain.Siwe.Grammar;

namespace Grid.Chain.Siwe;

/// <summary>
/// EIP-4361's grammar, line by line:
/// <code>
/// [ scheme "://" ] domain " wants you to sign in with your Ethereum account:" LF
/// address LF
/// LF
/// [ statement LF ]
/// LF
/// "URI: " uri LF
/// "Version: " version LF
/// "Chain ID: " chain-id LF
/// "Nonce: " nonce LF
/// "Issued At: " issued-at
/// [ LF "Expiration Time: " expiration-time ]
/// [ LF "Not Before: " not-before ]
/// [ LF "Request ID: " request-id ]
/// [ LF "Resources:" *( LF "- " URI ) ]
/// </code>
/// Lines end with LF alone and there is no final LF. Beyond the ABNF, the domain must name a host and the
/// chain id must be written without leading zeros (so that one message has one text), and must fit 64 bits.
/// </summary>
internal static class SiweMessageParser
{
    public const string UriTitle = "URI: ";
    public const string VersionTitle = "Version: ";
    public const string ChainIdTitle = "Chain ID: ";
    public const string NonceTitle = "Nonce: ";
    public const string IssuedAtTitle = "Issued At: ";
    public const string ExpirationTimeTitle = "Expiration Time: ";
    public const string NotBeforeTitle = "Not Before: ";
    public const string RequestIdTitle = "Request ID: ";
    public const string ResourcesTitle = "Resources:";
    public const string ResourcePrefix = "- ";

    private const int MinimumNonceLength = 8;

    // statement = *( reserved / unreserved / " " ) of RFC 3986: printable ASCII minus " % < > \ ^ ` { | }.
    private static readonly SearchValues<char> StatementCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#[]@!$&'()*+,;= ");

    private static readonly SearchValues<char> NonceCharacters = SearchValues.Create(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    private static readonly (string Title, string Field)[] OptionalTitles =
    [
        (ExpirationTimeTitle, SiweField.ExpirationTime),
        (NotBeforeTitle, SiweField.NotBefore),
        (RequestIdTitle, SiweField.RequestId),
        (ResourcesTitle, SiweField.Resources),
    ];

    public static bool TryParse(string text, [NotNullWhen(true)] out SiweMessage? message, [NotNullWhen(false)] out SiweParseError? error)
    {
        message = null;
        var lines = text.Split('\n');
        var next = 0;
        if ((error = FindCarriageReturn(lines)) is not null
            || (error = ParseHeader(lines[0], out var scheme, out var domain)) is not null
            || (error = ParseAddress(lines, out var address)) is not null
            || (error = ParseStatement(lines, out var statement, out next)) is not null
            || (error = ParseRequired<string>(lines, ref next, UriTitle, SiweField.Uri, ParseUri, out var uri)) is not null
            || (error = ParseRequired<string>(lines, ref next, VersionTitle, SiweField.Version, ParseVersion, out _)) is not null
            || (error = ParseRequired<ulong>(lines, ref next, ChainIdTitle, SiweField.ChainId, ParseChainId, out var chainId)) is not null
            || (error = ParseRequired<string>(lines, ref next, NonceTitle, SiweField.Nonce, ParseNonce, out var nonce)) is not null
            || (error = ParseRequired<SiweTimestamp?>(lines, ref next, IssuedAtTitle, SiweField.IssuedAt, ParseTimestamp, out var issuedAt)) is not null
            || (error = ParseOptional<SiweTimestamp?>(lines, ref next, ExpirationTimeTitle, SiweField.ExpirationTime, ParseTimestamp, out var expirationTime)) is not null
            || (error = ParseOptional<SiweTimestamp?>(lines, ref next, NotBeforeTitle, SiweField.NotBefore, ParseTimestamp, out var notBefore)) is not null
            || (error = ParseOptional<string>(lines, ref next, RequestIdTitle, SiweField.RequestId, ParseRequestId, out var requestId)) is not null
            || (error = ParseResources(lines, ref next, out var resources)) is not null
            || (error = CheckEnd(lines, next)) is not null)
        {
            return false;
        }

        message = new SiweMessage(
            scheme,
            domain!,
            address!,
            statement,
            uri!,
            chainId,
            nonce!,
            issuedAt!,
            expirationTime,
            notBefore,
            requestId,
            resources);
        return true;
    }

    private static SiweParseError? FindCarriageReturn(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains('\r', StringComparison.Ordinal))
            {
                return new SiweParseError(i + 1, SiweField.Message, "carriage return found: lines must end with LF alone");
            }
        }

        return null;
    }

    private static SiweParseError? ParseHeader(string line, out string? scheme, out string? domain)
    {
        scheme = null;
        domain = null;
        if (!line.EndsWith(SiweMessage.HeaderSuffix, StringComparison.Ordinal))
        {
            return new SiweParseError(1, SiweField.Message, $"the first line must be the domain followed by \"{SiweMessage.HeaderSuffix}\"");
        }

        var origin = line[..^SiweMessage.HeaderSuffix.Length];
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator >= 0)
        {
            scheme = origin[..separator];
            if (!Rfc3986.IsScheme(scheme))
            {
                return new SiweParseError(1, SiweField.Scheme, $"'{scheme}' is not an RFC 3986 scheme");
            }

            origin = origin[(separator + 3)..];
        }

        if (origin.Length == 0 || !Rfc3986.IsAuthority(origin))
        {
            return new SiweParseError(1, SiweField.Domain, $"'{origin}' is not an RFC 3986 authority (host, optionally user info and port)");
        }

        if (Rfc3986.HostOf(origin).IsEmpty)
        {
            return new SiweParseError(1, SiweField.Domain, $"'{origin}' names no host");
        }

        domain = origin;
        return null;
    }

    private static SiweParseError? ParseAddress(string[] lines, out EthereumAddress? address)
    {
        address = null;
        if (lines.Length < 2)
        {
            return EndedEarly(2, SiweField.Address, "the address");
        }

        if (!EthereumAddress.TryParseChecksummed(lines[1], out address, out var problem))
        {
            return new SiweParseError(2, SiweField.Address, $"'{lines[1]}' is not a valid address: {EthereumAddress.Describe(problem)}");
        }

        return null;
    }

    // After the address: an empty line, then either the statement and an empty line, an empty statement
    // (one more empty line), or no statement at all.
    private static SiweParseError? ParseStatement(string[] lines, out string? statement, out int next)
    {
        statement = null;
        next = 2;
        if (lines.Length < 4)
        {
            return EndedEarly(lines.Length + 1, SiweField.Message, "an empty line, the optional statement and another empty line");
        }

        if (lines[2].Length != 0)
        {
            return new SiweParseError(3, SiweField.Message, "expected an empty line after the address");
        }

        if (lines[3].Length == 0)
        {
            // Two empty lines: no statement, unless a third one follows (an empty statement).
            if (lines.Length > 4 && lines[4].Length == 0)
            {
                statement = "";
                next = 5;
            }
            else
            {
                next = 4;
            }

            return null;
        }

        var invalid = lines[3].AsSpan().IndexOfAnyExcept(StatementCharacters);
        if (invalid >= 0)
        {
            return new SiweParseError(4, SiweField.Statement, $"the character '{lines[3][invalid]}' (U+{(int)lines[3][invalid]:X4}) is not allowed: a statement holds printable ASCII other than \" % < > \\ ^ ` {{ | }}");
        }

        if (lines.Length < 5 || lines[4].Length != 0)
        {
            return new SiweParseError(5, SiweField.Message, "expected an empty line after the statement");
        }

        statement = lines[3];
        next = 5;
        return null;
    }

    private delegate string? ValueParser<T>(string value, out T result);

    private static SiweParseError? ParseRequired<T>(string[] lines, ref int next, string title, string field, ValueParser<T> parse, out T? value)
    {
        value = default;
        if (next >= lines.Length)
        {
            return EndedEarly(next + 1, field, $"the \"{title.TrimEnd()}\" line");
        }

        var line = lines[next];
        if (!line.StartsWith(title, StringComparison.Ordinal))
        {
            return new SiweParseError(next + 1, field, $"expected the \"{title.TrimEnd()}\" line here");
        }

        var problem = parse(line[title.Length..], out var parsed);
        if (problem is not null)
        {
            return new SiweParseError(next + 1, field, problem);
        }

        value = parsed;
        next++;
        return null;
    }

    private static SiweParseError? ParseOptional<T>(string[] lines, ref int next, string title, string field, ValueParser<T> parse, out T? value)
    {
        value = default;
        if (next >= lines.Length || !lines[next].StartsWith(title, StringComparison.Ordinal))
        {
            return null;
        }

        return ParseRequired(lines, ref next, title, field, parse, out value);
    }

    private static SiweParseError? ParseResources(string[] lines, ref int next, out IReadOnlyList<string>? resources)
    {
        resources = null;
        if (next >= lines.Length || lines[next] != ResourcesTitle)
        {
            return null;
        }

        next++;
        var list = new List<string>();
        for (; next < lines.Length; next++)
        {
            var line = lines[next];
            if (!line.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                return new SiweParseError(next + 1, SiweField.Resources, "after \"Resources:\" every line must be \"- \" and a URI");
            }

            var uri = line[ResourcePrefix.Length..];
            if (!Rfc3986.IsUri(uri))
            {
                return new SiweParseError(next + 1, SiweField.Resources, $"'{uri}' is not an RFC 3986 URI");
            }

            list.Add(uri);
        }

        resources = list;
        return null;
    }

    private static SiweParseError? CheckEnd(string[] lines, int next)
    {
        if (next >= lines.Length)
        {
            return null;
        }

        var line = lines[next];
        if (line.Length == 0 && next == lines.Length - 1)
        {
            return new SiweParseError(next + 1, SiweField.Message, "the message must not end with a line break");
        }

        foreach (var (title, field) in OptionalTitles)
        {
            if (line.StartsWith(title.TrimEnd(), StringComparison.Ordinal))
            {
                return new SiweParseError(next + 1, field, $"\"{title.TrimEnd()}\" is out of place: the optional lines come at most once each, in the order Expiration Time, Not Before, Request ID, Resources");
            }
        }

        return new SiweParseError(next + 1, SiweField.Message, "unexpected line: after \"Issued At\" only Expiration Time, Not Before, Request ID and Resources may follow");
    }

    private static string? ParseUri(string value, out string result)
    {
        result = value;
        return Rfc3986.IsUri(value) ? null : $"'{value}' is not an RFC 3986 URI";
    }

    private static string? ParseVersion(string value, out string result)
    {
        result = value;
        return value == SiweMessage.SupportedVersion ? null : $"version must be {SiweMessage.SupportedVersion}, not '{value}'";
    }

    private static string? ParseChainId(string value, out ulong result)
    {
        result = 0;
        if (value.Length == 0 || value.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return $"'{value}' is not a decimal chain id";
        }

        if (value.Length > 1 && value[0] == '0')
        {
            return $"'{value}' has leading zeros";
        }

        return ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out result)
            ? null
            : $"'{value}' is too large for a chain id";
    }

    private static string? ParseNonce(string value, out string result)
    {
        result = value;
        if (value.Length < MinimumNonceLength)
        {
            return $"a nonce has at least {MinimumNonceLength} characters, this one {value.Length}";
        }

        return value.AsSpan().ContainsAnyExcept(NonceCharacters) ? "a nonce holds only ASCII letters and digits" : null;
    }

    private static string? ParseTimestamp(string value, out SiweTimestamp? result) =>
        SiweTimestamp.TryParse(value, out result, out var problem) ? null : $"'{value}': {problem}";

    private static string? ParseRequestId(string value, out string result)
    {
        result = value;
        return Rfc3986.IsPcharRun(value) ? null : $"'{value}' holds characters a request id (RFC 3986 pchar) may not";
    }

    private static SiweParseError EndedEarly(int line, string field, string expected) =>
        new(line, field, $"the message ends early: expected {expected}");
}
