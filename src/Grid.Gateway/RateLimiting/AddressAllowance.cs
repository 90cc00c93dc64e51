using System.Net;
using System.Threading.RateLimiting;

namespace Grid.Gateway.RateLimiting;

/// <summary>
/// How many of something that leaves stored state behind (a guest account, an on-chain intent) requests from one client
/// address may make a minute: a token bucket per address, refused at once when empty. Off when rate limits are off.
/// </summary>
public sealed class AddressAllowance : IDisposable
{
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
