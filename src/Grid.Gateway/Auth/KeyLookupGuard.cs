using System.Net;
using System.Threading.RateLimiting;
using Grid.Gateway.RateLimiting;

namespace Grid.Gateway.Auth;

/// <summary>
/// Bounds how many account keys that turn out wrong one client address may have looked up. Keys are checked
/// against the store before the rate limiter runs (limits are kept per verified key), so without this a flood of
/// well-formed guesses would cost a store read each. Past the budget, the address's key requests are refused
/// (429) without a lookup until the bucket refills; its valid keys wait too, which is the point.
/// </summary>
public sealed class KeyLookupGuard : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _failures;

    public KeyLookupGuard(RateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _failures = options.Enabled ? AddressBuckets.Create(options.FailedKeyBurst, options.FailedKeysPerSecond, TimeSpan.FromSeconds(1)) : null;
    }

    /// <summary>True when the address has used up its budget of wrong keys for now.</summary>
    public bool IsBlocked(IPAddress? address) =>
        _failures?.GetStatistics(CallerRateLimits.AddressOf(address)) is { CurrentAvailablePermits: <= 0 };

    /// <summary>Counts a key from <paramref name="address"/> that was looked up and did not verify.</summary>
    public void RecordFailure(IPAddress? address)
    {
        using var lease = _failures?.AttemptAcquire(CallerRateLimits.AddressOf(address));
    }

    public void Dispose() => _failures?.Dispose();
}
