namespace Grid.Runtime.Metrics;

/// <summary>
/// Counters of one grain method. <see cref="LatencyBuckets"/>[i] counts calls that took under 2^i µs
/// (and at least 2^(i-1) µs); the last bucket holds everything slower.
/// </summary>
public sealed record GrainMethodSnapshot(string Interface, string Method, long Calls, long Errors, IReadOnlyList<long> LatencyBuckets)
{
    /// <summary>The method as metrics and the dashboard name it: the interface without its namespace, then the method.</summary>
    public string Label => GrainMethodLabel.Of(Interface, Method);

    /// <summary>An upper bound of the given quantile (0..1) in microseconds, from the buckets.</summary>
    public double QuantileMicros(double quantile) =>
        BucketQuantiles.Index(LatencyBuckets, quantile) is { } index ? LatencyHistogram.UpperBoundMicros(index) : 0;
}
