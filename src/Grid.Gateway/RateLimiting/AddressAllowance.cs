using System.Net;
using System.Threading.RateLimiting;

namespace Grid.Gateway.RateLimiting;

/// <summary>
/// How many of something that leaves stored state behind (a guest account, an on-chain intent, a card checkout) requests from one client
/// address may make a minute: a token bucket per address, refused at once when empty. Off when rate limits are off.
/// </summary>
public sealed class AddressAllowance : IDisposable
{
    /// <summary>
    /// The keyed service bounding the guest accounts that sign-ins from one address may open. A sign-in with a wallet
    /// nobody has seen costs nothing to make (any fresh key signs), yet opens a stored account and gives a session with a
    /// rate bucket of its own. Sign-ins of wallets that have an account already take nothing from it.
    /// </summary>
    public const string GuestAccounts = "guest-accounts";

    /// <summary>
    /// The keyed service bounding the new on-chain intents that callers without an account key (anonymous, or an end
    /// user's guest or wallet token, which costs nothing to get) may start from one address. Anyone may start one, for any
    /// wallet, and each is a stored payment kept for good. Repeating an intent that exists already takes nothing.
    /// </summary>
    public const string NewIntents = "new-intents";

    /// <summary>
    /// The keyed service bounding the new card checkouts that end users' guest or wallet tokens may start from one address:
    /// each is a stored payment and a Checkout Session asked of Stripe (whose API rate is the operator's, shared by all).
    /// The account's cap on open sessions bounds one account; this bounds the many accounts free sign-ins open.
    /// </summary>
    public const string NewCheckouts = "new-checkouts";

    private readonly PartitionedRateLimiter<string>? _buckets;

    public AddressAllowance(bool enabled, int perMinute, int burst) =>
        _buckets = enabled ? AddressBuckets.Create(burst, perMinute, TimeSpan.FromMinutes(1)) : null;

    /// <summary>Takes one from the address's allowance; false when it is used up for now.</summary>
    public bool TryTake(IPAddress? address)
    {
        if (_buckets is null)
        {
            return true;
        }

        using var lease = _buckets.AttemptAcquire(CallerRateLimits.AddressOf(address));
        return lease.IsAcquired;
    }

    public void Dispose() => _buckets?.Dispose();
}
