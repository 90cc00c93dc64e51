namespace Grid.Gateway.Auth;

/// <summary>Sign-In with Ethereum settings (Grid:Auth:Siwe): what a message must name, and how long things live.</summary>
public sealed class SiweOptions
{
    /// <summary>The domain (RFC 3986 authority) messages must name, e.g. <c>app.example.com</c>. Unset: SIWE is refused.</summary>
    public string? Domain { get; set; }

    /// <summary>The URI messages must name.</summary>
    public string? Uri { get; set; }

    /// <summary>The chain ids a message may name.</summary>
    public IList<long> ChainIds { get; } = [];

    /// <summary>How long an issued nonce may wait for its signed message.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Outstanding nonces are capped: nonces are handed to anyone, so without a cap a flood would grow the
    /// table without bound. Past it, new nonces are refused (503) until old ones expire or are used.
    /// </summary>
    public int MaxOutstandingNonces { get; set; } = 100_000;

    /// <summary>How long a wallet session token lives (the message's expiration time shortens it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(24);
}
