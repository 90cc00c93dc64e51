using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Grid.Chain.Addresses;

namespace Grid.Chain.Siwe;

/// <summary>
/// A Sign-In with Ethereum message (EIP-4361), parsed strictly by the EIP's ABNF. Messages are only made
/// by parsing, and <see cref="ToText"/> gives back exactly the parsed text, since that text is what the
/// wallet signed.
/// </summary>
/// <remarks>
/// Absent and empty differ where the grammar lets them: a message may have no statement or an empty one,
/// no "Request ID:" line or an empty one, no "Resources:" line or one with no resources under it.
/// </remarks>
public sealed class SiweMessage
{
    /// <summary>The fixed text after the domain on the first line.</summary>
    public const string HeaderSuffix = " wants you to sign in with your Ethereum account:";

    /// <summary>The only version EIP-4361 defines.</summary>
    public const string SupportedVersion = "1";

    internal SiweMessage(
        string? scheme,
        string domain,
        EthereumAddress address,
        string? statement,
        string uri,
        ulong chainId,
        string nonce,
        SiweTimestamp issuedAt,
        SiweTimestamp? expirationTime,
        SiweTimestamp? notBefore,
        string? requestId,
        IReadOnlyList<string>? resources)
    {
        Scheme = scheme;
        Domain = domain;
        Address = address;
        Statement = statement;
        Uri = uri;
        ChainId = chainId;
        Nonce = nonce;
        IssuedAt = issuedAt;
        ExpirationTime = expirationTime;
        NotBefore = notBefore;
        RequestId = requestId;
        Resources = resources;
    }

    /// <summary>The scheme written before the domain ("https" in "https://example.com wants you..."), or null when none was.</summary>
    public string? Scheme { get; }

    /// <summary>The RFC 3986 authority asking for the sign-in, e.g. "example.com" or "example.com:8443".</summary>
    public string Domain { get; }

    /// <summary>The account signing in; the message names it in EIP-55 checksummed form.</summary>
    public EthereumAddress Address { get; }

    /// <summary>The human-readable statement, "" for an empty one, null when the message has none.</summary>
    public string? Statement { get; }

    /// <summary>The RFC 3986 URI the sign-in is for.</summary>
    public string Uri { get; }

    /// <summary>Always "1".</summary>
    public string Version => SupportedVersion;

    /// <summary>The EIP-155 chain id the session is bound to.</summary>
    public ulong ChainId { get; }

    /// <summary>The server's nonce: 8 or more ASCII letters and digits.</summary>
    public string Nonce { get; }

    public SiweTimestamp IssuedAt { get; }

    public SiweTimestamp? ExpirationTime { get; }

    public SiweTimestamp? NotBefore { get; }

    /// <summary>The request id ("" when the line is there but empty), or null when there is no such line.</summary>
    public string? RequestId { get; }

    /// <summary>The resource URIs, empty when "Resources:" lists none, or null when there is no such line.</summary>
    public IReadOnlyList<string>? Resources { get; }

    /// <summary>Parses a message; throws <see cref="SiweFormatException"/> naming the line and field at fault.</summary>
    public static SiweMessage Parse(string text) =>
        TryParse(text, out var message, out var error) ? message : throw new SiweFormatException(error);

    /// <summary>Parses a message; on failure <paramref name="error"/> names the line and field at fault.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SiweMessage? message, [NotNullWhen(false)] out SiweParseError? error)
    {
        if (text is null)
        {
            message = null;
            error = new SiweParseError(1, SiweField.Message, "the message is missing");
            return false;
        }

        return SiweMessageParser.TryParse(text, out message, out error);
    }

    /// <summary>The message text, exactly as parsed: what the wallet signed.</summary>
    public string ToText()
    {
        var text = new StringBuilder(512);
        if (Scheme is not null)
        {
            text.Append(Scheme).Append("://");
        }

        text.Append(Domain).Append(HeaderSuffix).Append('\n');
        text.Append(Address.ToChecksumString()).Append('\n');
        text.Append('\n');
        if (Statement is not null)
        {
            text.Append(Statement).Append('\n');
        }

        text.Append('\n');
        text.Append(SiweMessageParser.UriTitle).Append(Uri).Append('\n');
        text.Append(SiweMessageParser.VersionTitle).Append(Version).Append('\n');
        text.Append(SiweMessageParser.ChainIdTitle).Append(ChainId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append(SiweMessageParser.NonceTitle).Append(Nonce).Append('\n');
        text.Append(SiweMessageParser.IssuedAtTitle).Append(IssuedAt.Text);
        if (ExpirationTime is not null)
        {
            text.Append('\n').Append(SiweMessageParser.ExpirationTimeTitle).Append(ExpirationTime.Text);
        }

        if (NotBefore is not null)
        {
            text.Append('\n').Append(SiweMessageParser.NotBeforeTitle).Append(NotBefore.Text);
        }

        if (RequestId is not null)
        {
            text.Append('\n').Append(SiweMessageParser.RequestIdTitle).Append(RequestId);
        }

        if (Resources is not null)
        {
            text.Append('\n').Append(SiweMessageParser.ResourcesTitle);
            foreach (var resource in Resources)
            {
                text.Append('\n').Append(SiweMessageParser.ResourcePrefix).Append(resource);
            }
        }

        return text.ToString();
    }

    public override string ToString() => ToText();
}
