using System.Net;
using Grid.Gateway.RateLimiting;

namespace Grid.Gateway.Siwe;

/// <summary>
/// Bounds how many guest accounts sign-ins from one client address may open. A sign-in with a wallet nobody has
/// seen costs nothing to make (any fresh key signs), yet opens a stored account and gives a session with a rate
/// bucket of its own; without this one address could mint both without end. Sign-ins of wallets that have an
/// account already take nothing from it.
/// </summary>
public sealed class GuestOpenings(RateLimitOptions options) : IDisposable
{
    private readonly AddressAllowance _allowance = new(options.Enabled, options.GuestAccountsPerMinute, options.GuestAccountBurst);

    /// <summary>Takes one opening from the address's budget; false when it is used up for now.</summary>
    public bool TryTake(IPAddress? address) => _allowance.TryTake(address);

    public void Dispose() => _allowance.Dispose();
}
