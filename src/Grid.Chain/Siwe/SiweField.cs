namespace Grid.Chain.Siwe;

/// <summary>
/// Names of the parts of a sign-in message, as EIP-4361's ABNF names them; parse errors and verification
/// failures use these, so they are stable strings clients may rely on.
/// </summary>
public static class SiweField
{
    /// <summary>The message's overall line structure.</summary>
    public const string Message = "message";

    /// <summary>The optional "scheme://" before the domain.</summary>
    public const string Scheme = "scheme";

    public const string Domain = "domain";
    public const string Address = "address";
    public const string Statement = "statement";
    public const string Uri = "uri";
    public const string Version = "version";
    public const string ChainId = "chain-id";
    public const string Nonce = "nonce";
    public const string IssuedAt = "issued-at";
    public const string ExpirationTime = "expiration-time";
    public const string NotBefore = "not-before";
    public const string RequestId = "request-id";
    public const string Resources = "resources";

    /// <summary>The signature sent with the message (not part of the message text).</summary>
    public const string Signature = "signature";
}
