namespace Grid.Gateway.Auth;

/// <summary>What a request's bearer token was.</summary>
public enum CallerKind
{
    /// <summary>The configured admin key.</summary>
    Operator = 1,

    /// <summary>An account API key (<c>gk_</c>).</summary>
    ApiKey,

    /// <summary>A signed, expiring guest token (<c>gt_</c>, kind guest).</summary>
    GuestToken,

    /// <summary>A signed wallet session token from Sign-In with Ethereum (<c>gt_</c>, kind wallet).</summary>
    WalletSession,
}
