using Microsoft.Extensions.Options;

namespace Grid.Gateway.RateLimiting;

/// <summary>
/// Per-caller request limits on the public API (configuration section Grid:RateLimits): a token bucket per
/// account key, per account and per address for guest and wallet tokens, and one per client address for anonymous
/// requests and requests whose token did not verify. The operator's admin key is not limited.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Grid:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Sustained requests per second for one key (or one account's tokens).</summary>
    public int PermitsPerSecond { get; set; } = 1_000;

    /// <summary>How many requests one key may make at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 2_000;

    /// <summary>
    /// Sustained requests per second for one account's guest and wallet tokens. An end user's page needs far less than a
    /// server's key, and a wallet sign-in costs nothing, so tokens do not get a key's budget each.
    /// </summary>
    public int EndUserPermitsPerSecond { get; set; } = 50;

    public int EndUserBurst { get; set; } = 100;

    /// <summary>
    /// Sustained requests per second for all guest and wallet tokens used from one address together: signing in many
    /// fresh wallets from one address does not multiply its budget.
    /// </summary>
    public int EndUserAddressPermitsPerSecond { get; set; } = 200;

    public int EndUserAddressBurst { get; set; } = 400;

    /// <summary>Sustained requests per second from one address without a valid credential.</summary>
    public int AnonymousPermitsPerSecond { get; set; } = 20;

    public int AnonymousBurst { get; set; } = 40;

    /// <summary>
    /// Webhook deliveries per second from one address, apart from the anonymous budget: Stripe sends from a few addresses,
    /// far faster than an anonymous caller at volume, and a delivery held back waits on Stripe's retry backoff.
    /// </summary>
    public int WebhookPermitsPerSecond { get; set; } = 1_000;

    public int WebhookBurst { get; set; } = 2_000;

    /// <summary>Account keys looked up per second from one address that turn out wrong; past the burst, its key requests are refused unread.</summary>
    public int FailedKeysPerSecond { get; set; } = 10;

    public int FailedKeyBurst { get; set; } = 50;

    /// <summary>Guest accounts that sign-ins from one address may open a minute (a wallet's first sign-in opens one).</summary>
    public int GuestAccountsPerMinute { get; set; } = 10;

    public int GuestAccountBurst { get; set; } = 30;

    /// <summary>New on-chain intents that callers without a credential may start from one address a minute.</summary>
    public int AnonymousIntentsPerMinute { get; set; } = 10;

    public int AnonymousIntentBurst { get; set; } = 30;

    /// <summary>New card checkouts that guest and wallet tokens (which cost nothing to get) may start from one address a minute.</summary>
    public int EndUserCheckoutsPerMinute { get; set; } = 10;

    public int EndUserCheckoutBurst { get; set; } = 30;

    public void Validate()
    {
        if (PermitsPerSecond < 1 || Burst < 1 || AnonymousPermitsPerSecond < 1 || AnonymousBurst < 1 || FailedKeysPerSecond < 1 || FailedKeyBurst < 1
            || GuestAccountsPerMinute < 1 || GuestAccountBurst < 1 || WebhookPermitsPerSecond < 1 || WebhookBurst < 1
            || AnonymousIntentsPerMinute < 1 || AnonymousIntentBurst < 1 || EndUserCheckoutsPerMinute < 1 || EndUserCheckoutBurst < 1
            || EndUserPermitsPerSecond < 1 || EndUserBurst < 1 || EndUserAddressPermitsPerSecond < 1 || EndUserAddressBurst < 1)
        {
            throw new OptionsValidationException(SectionName, typeof(RateLimitOptions),
                ["Grid:RateLimits: PermitsPerSecond, Burst, AnonymousPermitsPerSecond, AnonymousBurst, FailedKeysPerSecond, FailedKeyBurst, GuestAccountsPerMinute, GuestAccountBurst, WebhookPermitsPerSecond, WebhookBurst, AnonymousIntentsPerMinute, AnonymousIntentBurst, EndUserCheckoutsPerMinute, EndUserCheckoutBurst, EndUserPermitsPerSecond, EndUserBurst, EndUserAddressPermitsPerSecond and EndUserAddressBurst must be at least 1."]);
        }
    }
}
