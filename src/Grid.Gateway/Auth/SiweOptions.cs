namespace Grid.Gateway.Auth;

/// <summary>Sign-In with Ethereum settings (Grid:Auth:Siwe): what a message must name, and how long things live.</summary>
public sealed class SiweOptions
{
    /// <summary>The domain (RFC 3986 authority) messages must name, e.g. <c>app.example.com</c>. Unset: SIWE is refused.</summary>
    public string? Domain { get; set; }

    /// <summary>The URI messages must name.</summary>
    public string? Uri { get; set; }

    /// <summary>The chain ids a message may name.</summary>
    public IList<ulong> ChainIds { get; } = [];

    /// <summary>How long an issued nonce may wait for its signed message.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Outstanding nonces are capped: nonces are handed to anyone, so without a cap a flood would grow the
    /// table without bound. Past it, new nonces are refused (503) until old ones expire or are used.
    /// </summary>
    public int MaxOutstandingNonces { get; set; } = 100_000;

    /// <summary>How long a wallet session token lives (the message's expiration time shortens it).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>All of Domain, Uri (absolute) and ChainIds, or none of them; lifetimes positive.</summary>
    public void Validate()
    {
        var named = new[] { !string.IsNullOrEmpty(Domain), !string.IsNullOrEmpty(Uri), ChainIds.Count > 0 };
        var failures = new List<string>();
        if (named.Any(n => n) && !named.All(n => n))
        {
            failures.Add("Grid:Auth:Siwe needs Domain, Uri and ChainIds together (or none of them, to turn sign-in off).");
        }

        if (!string.IsNullOrEmpty(Uri) && !System.Uri.TryCreate(Uri, UriKind.Absolute, out _))
        {
            failures.Add($"Grid:Auth:Siwe:Uri must be an absolute URI, not '{Uri}'.");
        }

        if (NonceLifetime <= TimeSpan.Zero || SessionLifetime <= TimeSpan.Zero || MaxOutstandingNonces < 1)
        {
            failures.Add("Grid:Auth:Siwe: NonceLifetime and SessionLifetime must be positive and MaxOutstandingNonces at least 1.");
        }

        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(AuthOptions.SectionName, typeof(SiweOptions), failures);
        }
    }
}
