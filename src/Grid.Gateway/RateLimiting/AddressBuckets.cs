using System.Threading.RateLimiting;

namespace Grid.Gateway.RateLimiting;

/// <summary>A token bucket per client address (<see cref="CallerRateLimits.AddressOf"/>), refused at once when empty; idle buckets are dropped.</summary>
internal static class AddressBuckets
{
    public static PartitionedRateLimiter<string> Create(int burst, int perPeriod, TimeSpan period)
    {
        var bucket = CallerRateLimits.Bucket(perPeriod, burst, period);
        return PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ => bucket));
    }
}
