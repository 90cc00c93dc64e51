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

        if (NonceLifetime < TimeSpan.FromSeconds(10) || NonceLifetime > TimeSpan.FromDays(1) || SessionLifetime < TimeSpan.FromMinutes(1) || SessionLifetime > TimeSpan.FromDays(30))
        {
            failures.Add("Grid:Auth:Siwe: NonceLifetime must be 10 s to 1 day and SessionLifetime 1 minute to 30 days.");
        }

        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(AuthOptions.SectionName, typeof(SiweOptions), failures);
        }
    }
}
