using System.Net;
using Grid.Gateway.RateLimiting;

namespace Grid.Gateway.Payments;

/// <summary>
/// Bounds how many new on-chain intents callers without an account key (anonymous, or an end user's guest or wallet
/// token, which costs nothing to get) may start from one client address. Anyone may start one, for any wallet, and
/// each is a stored payment kept for good; without this one address could fill the store at its request rate.
/// Repeating an intent that exists already takes nothing.
/// </summary>
public sealed class AnonymousIntents(RateLimitOptions options) : IDisposable
{
    private readonly AddressAllowance _allowance = new(options.Enabled, options.AnonymousIntentsPerMinute, options.AnonymousIntentBurst);

    /// <summary>Takes one new intent from the address's budget; false when it is used up for now.</summary>
    public bool TryTake(IPAddress? address) => _allowance.TryTake(address);

    public void Dispose() => _allowance.Dispose();
}
