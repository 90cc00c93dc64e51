using System.Net;
using System.Threading.RateLimiting;
using Grid.Gateway.RateLimiting;

namespace Grid.Gateway.Siwe;

/// <summary>
/// Bounds how many guest accounts sign-ins from one client address may open. A sign-in with a wallet nobody has
/// seen costs nothing to make (any fresh key signs), yet opens a stored account and gives a session with a rate
/// bucket of its own; without this one address could mint both without end. Sign-ins of wallets that have an
/// account already take nothing from it.
/// </summary>
public sealed class GuestOpenings : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _openings;

    public GuestOpenings(RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _openings = options.Enabled ? AddressBuckets.Create(options.GuestAccountBurst, options.GuestAccountsPerMinute, TimeSpan.FromMinutes(1)) : null;
    }

    /// <summary>Takes one opening from the address's budget; false when it is used up for now.</summary>
    public bool TryTake(IPAddress? address)
    {
        if (_openings is null)
        {
            return true;
        }

        using var lease = _openings.AttemptAcquire(CallerRateLimits.AddressOf(address));
        return lease.IsAcquired;
    }

    public void Dispose() => _openings?.Dispose();
}
