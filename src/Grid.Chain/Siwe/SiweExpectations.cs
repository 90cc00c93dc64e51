namespace Grid.Chain.Siwe;

/// <summary>What a sign-in message must name for this server to accept it.</summary>
public sealed record SiweExpectations
{
    /// <summary>The default tolerance between the server's clock and the wallet's.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The domain (RFC 3986 authority, e.g. "grid.example" or "grid.example:8443") the message's first line
    /// must name. Compared without regard to letter case, as hosts are.
    /// </summary>
    public required string Domain { get; init; }

    /// <summary>
    /// The scheme a message may write before its domain; one that writes none is taken to mean this
    /// scheme, as EIP-4361 says wallets assume https.
    /// </summary>
    public string Scheme { get; init; } = "https";

    /// <summary>
    /// An absolute URI whose origin (scheme, host, port) the message's URI must share. The path, query and
    /// fragment may differ: a sign-in may start from any page of the site, while the origin is what ties
    /// the signature to this service.
    /// </summary>
    public required Uri Uri { get; init; }

    /// <summary>The chain ids a session may be bound to.</summary>
    public required IReadOnlyCollection<ulong> ChainIds { get; init; }

    /// <summary>How far the wallet's clock may be ahead of or behind ours when checking the message's times.</summary>
    public TimeSpan AllowedClockSkew { get; init; } = DefaultClockSkew;

    /// <summary>Throws when the expectations cannot be met by any message (a configuration error).</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Domain))
        {
            throw new ArgumentException("The expected SIWE domain is empty.", nameof(Domain));
        }

        if (string.IsNullOrWhiteSpace(Scheme))
        {
            throw new ArgumentException("The expected SIWE scheme is empty.", nameof(Scheme));
        }

        if (Uri is null || !Uri.IsAbsoluteUri)
        {
            throw new ArgumentException("The expected SIWE URI must be absolute.", nameof(Uri));
        }

        if (ChainIds is null || ChainIds.Count == 0)
        {
            throw new ArgumentException("At least one chain id must be allowed.", nameof(ChainIds));
        }

        if (AllowedClockSkew < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AllowedClockSkew), AllowedClockSkew, "The allowed clock skew cannot be negative.");
        }
    }
}
