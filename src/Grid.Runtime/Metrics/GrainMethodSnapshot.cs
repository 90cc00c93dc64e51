namespace Grid.Runtime.Metrics;

/// <summary>
/// Counters of one grain method. <see cref="LatencyBuckets"/>[i] counts calls that took under 2^i µs
/// (and at least 2^(i-1) µs); the last bucket holds everything slower.
/// </summary>
public sealed record GrainMethodSnapshot(string Interface, string Method, long Calls, long Errors, IReadOnlyList<long> LatencyBuckets)
{
    /// <summary>An upper bound of the given quantile (0..1) in microseconds, from the buckets.</summary>
    public double QuantileMicros(double quantile)
    {
        var total = LatencyBuckets.Sum();
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(quantile * total);
        long seen = 0;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            seen += LatencyBuckets[i];
            if (seen >= rank)
            {
                return LatencyHistogram.UpperBoundMicros(i);
            }
        }

        return double.PositiveInfinity;
    }
}
